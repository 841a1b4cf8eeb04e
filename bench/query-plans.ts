/**
 * What the read API's per-request queries cost as the log grows, with their plans:
 * `tsx bench/query-plans.ts [--events N] [--small N] [--large N] [--runs N] [--plans FILE]`.
 *
 * 1. A log of `--events` hook events and transcript lines (2,000 sessions of whole turns, and
 *    hook log lines from 20 hosts) is appended and projected by every projection; then the
 *    conversation list (first page, filters, a deep cursor, `q`, by cost), the log inspector
 *    newest first, the hook logs, hook health, ingest per minute and one conversation's tokens
 *    are run with auto_explain (ANALYZE), so each plan is the one the real query got.
 * 2. GET /api/stats at `--small` and `--large` responses (as many tool uses, 250 days of event
 *    counts, id-less hook counts of 300 sessions), written straight into the stats table so
 *    its triggers keep the rollups: today's query beside the version-2 scan of every document
 *    (test/support/stats-scan.ts), median of `--runs`.
 * Plans go to `--plans` (default /tmp/arrakis-query-plans.txt); one line per query to stdout.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { connect, type Sql } from '../core/db.js';
import { appendEvents } from '../core/event-store.js';
import { eventsPerMinute } from '../core/event-rate.js';
import { listEvents } from '../core/event-queries.js';
import { hookLogEvents } from '../core/hook-log-line.js';
import { listConversations } from '../projections/conversations/queries.js';
import { encodeCursor } from '../projections/cursors.js';
import { startProjector } from '../projections/engine/projector.js';
import { ensureProjection } from '../projections/engine/registry.js';
import { listHookHealth } from '../projections/hook-health.js';
import { listHookLogs } from '../projections/hook-logs-queries.js';
import { allProjections } from '../projections/index.js';
import { statsSummary, tokensForSession } from '../projections/stats-queries.js';
import { scannedSummary } from '../test/support/stats-scan.js';
import { turnEvents } from '../test/support/sessions.js';
import { openBenchDatabase } from './support/database.js';
import { runBench } from './support/main.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    small: { type: 'string', default: '10000' },
    large: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '5' },
    plans: { type: 'string', default: '/tmp/arrakis-query-plans.txt' },
    'skip-log': { type: 'boolean', default: false },
  },
});
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const RUNS = Math.max(1, Number(args.runs));
const SESSIONS = 2000;
// The first eight characters differ: turnEvents names responses and tool uses after them.
const session = (s: number) => `${String(s).padStart(8, '0')}-0000-4000-8000-${String(s).padStart(12, '0')}`;
/** Received one a second from here, so received_at follows the table's order as appends make it. */
const RECEIVED_FROM = Date.UTC(2026, 8, 1);
let lastReceived = new Date(RECEIVED_FROM);

/** One connection with auto_explain on: every statement's plan, with actual rows and times, comes back as a notice. */
function explaining(url: string) {
  const notices: string[] = [];
  const sql = postgres(url, {
    max: 1,
    idle_timeout: 0,
    onnotice: (notice) => notices.push(String(notice.message)),
    types: { int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } },
  }) as unknown as Sql;
  return { sql, notices };
}

const report: string[] = [];
async function explain(ex: { sql: Sql; notices: string[] }, label: string, run: () => Promise<unknown>) {
  await run(); // warm
  ex.notices.length = 0;
  const started = performance.now();
  await run();
  const ms = performance.now() - started;
  const plans = ex.notices.filter((n) => n.includes('plan:'));
  const seqScans = plans.flatMap((p) => [...p.matchAll(/Seq Scan on (\S+)/g)].map((m) => m[1]!));
  // What the statements took in the server, as EXPLAIN ANALYZE measured them.
  const serverMs = plans.reduce((sum, p) => sum + Number(/duration: ([\d.]+) ms/.exec(p)?.[1] ?? 0), 0);
  const line = `${label}: ${ms.toFixed(1)} ms (statements ${serverMs.toFixed(1)} ms)${seqScans.length ? `; seq scans: ${[...new Set(seqScans)].join(', ')}` : ''}`;
  process.stdout.write(`${line}\n`);
  report.push(`=== ${line}\n${plans.join('\n---\n')}\n`);
}

async function writeLog(sql: Sql, target: number) {
  log(`writing ${target} events`);
  let written = 0;
  for (let turn = 0; written < target; turn++) {
    // Sessions start three hours apart, so the list's order by last activity has something to walk.
    for (let from = 0; from < SESSIONS && written < target; from += 100) {
      const batch = Array.from({ length: 100 }, (_, i) => turnEvents(session(from + i), turn, new Date(Date.UTC(2026, 0, 1) + (from + i) * 3 * 3_600_000 + turn * 60_000))).flat();
      lastReceived = new Date(RECEIVED_FROM + written * 1000);
      await appendEvents(sql, batch, lastReceived);
      written += batch.length;
    }
  }
  for (let host = 0; host < 20; host++) {
    const lines = Array.from({ length: 500 }, (_, i) => ({
      offset: i * 200,
      line: JSON.stringify({ time: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), event: 'PostToolUse', sessionId: session(i), outcome: i % 97 === 0 ? 'dead-letter' : i % 13 === 0 ? 'spooled' : 'delivered', status: 201, attempts: 1 + (i % 3) }),
    }));
    await appendEvents(sql, hookLogEvents({ host: `host-${host}`, file: `/home/dev/.claude/arrakis/logs/capture-${host}.log`, lines }, lastReceived), lastReceived);
  }
  log(`projecting ${written} events`);
  const started = performance.now();
  const projector = await startProjector(sql, { projections: allProjections, batchSize: 1000 });
  await projector.settled();
  await projector.stop();
  log(`projected in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  await sql`vacuum analyze`;
  return written;
}

async function logQueries(sql: Sql, ex: { sql: Sql; notices: string[] }) {
  const q = ex.sql;
  const [deep] = await sql<{ at: Date; key: string }[]>`select at, key from arrakis.proj_conversations where at is not null order by at desc, key offset 1500 limit 1`;
  const [{ max } = { max: 0 }] = await sql<{ max: number }[]>`select max(position)::int as max from arrakis.events`;
  await explain(ex, 'conversations first page', () => listConversations(q, { limit: 50 }));
  await explain(ex, 'conversations status=ended', () => listConversations(q, { limit: 50, status: 'ended' }));
  await explain(ex, 'conversations project=app', () => listConversations(q, { limit: 50, project: 'app' }));
  await explain(ex, 'conversations host=bench', () => listConversations(q, { limit: 50, host: 'bench' }));
  await explain(ex, 'conversations from/to (a week)', () => listConversations(q, { limit: 50, from: new Date('2026-03-01'), to: new Date('2026-03-08') }));
  await explain(ex, 'conversations deep cursor (row 1500)', () => listConversations(q, { limit: 50, cursor: encodeCursor([deep!.at.toISOString(), deep!.key]) }));
  await explain(ex, 'conversations q=test', () => listConversations(q, { limit: 50, q: 'test' }));
  await explain(ex, 'conversations q=fix 17', () => listConversations(q, { limit: 50, q: 'fix 17' }));
  await explain(ex, 'conversations sort=cost', () => listConversations(q, { limit: 50, sort: 'cost' }));
  await explain(ex, 'events desc first page', () => listEvents(q, { order: 'desc', limit: 100 }));
  await explain(ex, 'events desc deep (before middle)', () => listEvents(q, { order: 'desc', limit: 100, before: Math.floor(max / 2) }));
  await explain(ex, 'events desc type=Stop', () => listEvents(q, { order: 'desc', limit: 100, type: 'Stop' }));
  await explain(ex, 'events desc session', () => listEvents(q, { order: 'desc', limit: 100, sessionId: session(7) }));
  await explain(ex, 'events asc first page', () => listEvents(q, { limit: 100 }));
  await explain(ex, 'hook logs first page', () => listHookLogs(q, {}));
  await explain(ex, 'hook logs level=error', () => listHookLogs(q, { level: 'error' }));
  await explain(ex, 'hook logs host', () => listHookLogs(q, { host: 'host-3' }));
  await explain(ex, 'hook logs q=spooled', () => listHookLogs(q, { q: 'spooled' }));
  await explain(ex, 'hook logs q=delivered (most lines)', () => listHookLogs(q, { q: 'delivered' }));
  await explain(ex, 'hook logs q=dead (rare)', () => listHookLogs(q, { q: 'dead' }));
  await explain(ex, 'hook health', () => listHookHealth(q));
  await explain(ex, 'ingest per minute (60)', () => eventsPerMinute(q, { minutes: 60, now: lastReceived }));
  await explain(ex, 'ingest per minute (1440)', () => eventsPerMinute(q, { minutes: 1440, now: lastReceived }));
  await explain(ex, 'tokens of one conversation', () => tokensForSession(q, session(7)));
  await explain(ex, 'GET /api/stats (projected log)', () => statsSummary(q));
}

const TOOLS = ['Bash', 'Read', 'Edit', 'Write', 'Grep', 'Glob', 'Task', 'TodoWrite'];
const MODELS = ['claude-opus-4-7', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'];

/** Responses and tool uses `from` to `to` (excluded), 150 to a session, as evolve writes them. */
const statsRows = (table: string, from: number, to: number) => `
  insert into ${table} (key, session_id, at, seq, doc, first_position, last_position)
  select 'response:msg_' || i, 'sess-' || i / 150, timestamptz '2026-01-01' + i * interval '1 minute', i,
         jsonb_build_object('kind', 'response', 'messageId', 'msg_' || i, 'sessionId', 'sess-' || i / 150,
           'model', case when i % 97 = 0 then 'local-llama' when i % 41 = 0 then 'claude-opus-4-1-experimental' else (array[${MODELS.map((m) => `'${m}'`).join(',')}])[1 + i % 4] end,
           'day', to_char(timestamptz '2026-01-01' + i * interval '1 minute', 'YYYY-MM-DD'), 'at', '2026-01-01T00:00:00.000Z',
           'usage', jsonb_build_object('input', i % 13, 'output', 50 + i % 1500, 'cacheCreation', i % 3000, 'cacheRead', 20000 + i % 130000),
           'costUsd', case when i % 97 = 0 then 0 else round(((50 + i % 1500) * 15 + (20000 + i % 130000) * 0.3) / 1e6, 10) end,
           'priced', case when i % 97 = 0 then 'unknown' when i % 41 = 0 then 'fallback' else 'exact' end, 'position', i, 'firstPosition', i),
         i, i
    from generate_series(${from}, ${to - 1}) i
  union all
  select 'tooluse:toolu_' || i, 'sess-' || i / 150, timestamptz '2026-01-01' + i * interval '1 minute', i,
         jsonb_build_object('kind', 'tooluse', 'toolUseId', 'toolu_' || i, 'sessionId', 'sess-' || i / 150, 'firstPosition', i,
           'name', (array[${TOOLS.map((t) => `'${t}'`).join(',')}])[1 + i % 8], 'useAt', '2026-01-01T00:00:00.000Z',
           'failed', i % 17 = 0, 'durationMs', i % 5003),
         i, i
    from generate_series(${from}, ${to - 1}) i`;

async function generateStats(sql: Sql, table: string, total: number) {
  for (const suffix of ['', '__models', '__tools']) await sql.unsafe(`truncate ${table}${suffix}`);
  for (let from = 0; from < total; from += 20_000) await sql.unsafe(statsRows(table, from, Math.min(total, from + 20_000)));
  await sql.unsafe(`
    insert into ${table} (key, at, doc, first_position, last_position)
    select 'events:' || to_char(d, 'YYYY-MM-DD') || ':' || t, d, jsonb_build_object('kind', 'events', 'day', to_char(d, 'YYYY-MM-DD'), 'type', t,
             'count', 40 + length(t), 'delay', jsonb_build_object('sumMs', 400 * length(t), 'maxMs', 90)), 0, 0
      from generate_series(timestamptz '2026-01-01', timestamptz '2026-01-01' + interval '249 days', interval '1 day') d,
           unnest(array['UserPromptSubmit','PreToolUse','PostToolUse','PostToolUseFailure','Stop','SubagentStop','Notification','SessionStart','SessionEnd','transcript.user','transcript.assistant','transcript.system']) t`);
  // Id-less hook counts of 300 sessions, half of whose tools the transcript counts by id.
  await sql.unsafe(`
    insert into ${table} (key, session_id, doc, first_position, last_position)
    select 'tool:sess-' || s || ':' || n, 'sess-' || s,
           jsonb_build_object('kind', 'tool', 'sessionId', 'sess-' || s, 'name', n, 'uses', 3, 'ok', 2, 'failed', 1, 'duration', jsonb_build_object('count', 3, 'sumMs', 30, 'maxMs', 20)), 0, 0
      from generate_series(0, 299) s, unnest(array['Bash', 'LegacyTool', 'Grep']) n`);
  for (const suffix of ['', '__models', '__tools']) await sql.unsafe(`vacuum analyze ${table}${suffix}`);
}

async function median(run: () => Promise<unknown>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

async function statsAt(sql: Sql, ex: { sql: Sql; notices: string[] }, table: string, total: number) {
  log(`writing ${total} responses and tool uses into ${table}`);
  await generateStats(sql, table, total);
  const now = await statsSummary(sql);
  const before = await scannedSummary(sql);
  const same = JSON.stringify(now.tokens.byModel) === JSON.stringify(before.tokens.byModel) && now.tools.length === before.tools.length;
  const rollupMs = await median(() => statsSummary(sql));
  const scanMs = await median(() => scannedSummary(sql));
  process.stdout.write(`GET /api/stats at ${total} responses: rollups ${rollupMs.toFixed(1)} ms, full scan (v2) ${scanMs.toFixed(1)} ms${same ? '' : ' (tokens differ in the last digits: float8 vs numeric sums)'}\n`);
  await explain(ex, `stats rollups at ${total}`, () => statsSummary(ex.sql));
  await explain(ex, `stats scan (v2) at ${total}`, () => scannedSummary(ex.sql));
}

async function main(cleanup: Array<() => Promise<void>>) {
  const db = await openBenchDatabase(log);
  cleanup.push(() => db.close());
  const sql = connect(db.url, { max: 4 });
  cleanup.push(() => sql.end({ timeout: 5 }));
  const ex = explaining(db.url);
  cleanup.push(() => ex.sql.end({ timeout: 5 }));
  for (const statement of ["load 'auto_explain'", 'set auto_explain.log_min_duration = 0', 'set auto_explain.log_analyze = on',
    'set auto_explain.log_buffers = on', "set auto_explain.log_level = 'notice'", 'set client_min_messages = notice']) await ex.sql.unsafe(statement);
  for (const projection of allProjections) await ensureProjection(sql, projection);
  if (!args['skip-log']) {
    const written = await writeLog(sql, Number(args.events));
    process.stdout.write(`log: ${written} events, ${SESSIONS} sessions\n`);
    await logQueries(sql, ex);
  }
  const [{ generation } = { generation: 0 }] = await sql<{ generation: number }[]>`select active_generation as generation from arrakis.projections where name = 'stats'`;
  const table = `arrakis.proj_stats_g${generation}`;
  for (const total of [Number(args.small), Number(args.large)]) await statsAt(sql, ex, table, total);
  await writeFile(args.plans!, report.join('\n'));
  log(`plans in ${args.plans}`);
}

runBench(main);
