/**
 * Arrakis at scale: a realistic log of N events (`npm run bench -- --scale N`; `npm run
 * bench:scale` is 5,000,000) beside the same log at N/50, built in the same run: first the
 * smaller one (measured), then grown to N (measured again). At each size, through the real
 * HTTP server with the read key: p50/p95 of the read API's heaviest reads (200 requests each,
 * interleaved, after a warm-up), the UI's list first paint and a 10,000-message conversation in Chromium,
 * the rebuild of every projection at once in events/s, and database bytes per event. Each
 * figure is printed at N, at N/50 and as their ratio; a read whose p95 at N is 100 ms or more,
 * or more than twice its N/50 figure, is flagged (printed, never failed).
 *
 * The log (bench/scale-log.ts): sessions of about 400 events (turnEvents' turns) over 30
 * projects and 10 hosts, plus one conversation of `--messages` messages written first, so the
 * smaller log holds N/50 ordinary events and that conversation. Written with COPY, then
 * folded by the real projector, then vacuumed and analysed (the state autovacuum reaches).
 * The reads are then measured after a checkpoint by bench/scale-reads.ts, a process that only
 * serves (beside this one's idle projector), as a server started on that database would.
 *
 * `tsx bench/scale.ts --scale N [--json] [--messages 10000] [--requests 200] [--warmup 5]
 * [--runs 5] [--skip-ui] [--explain] [--keep]`. `--explain` asks once more for each flagged read at
 * N on connections with auto_explain (plans with timings in the PostgreSQL server's log).
 * `--keep` leaves the database at N on the server of DATABASE_URL or TEST_DATABASE_URL, to study
 * a read's plan; drop it when done.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from '../core/db.js';
import { silentLogger, type Fields } from '../core/log.js';
import { createAppender } from '../core/group-commit.js';
import { projectRoot } from '../core/paths.js';
import { startProjector } from '../projections/engine/projector.js';
import { requestRebuild } from '../projections/engine/registry.js';
import { allProjections } from '../projections/index.js';
import { createApp } from '../server/app.js';
import { listen } from '../server/http.js';
import { chromiumPath } from '../test/support/browser.js';
import { HOSTS, PROJECTS, scaleLog } from './scale-log.js';
import { sizes, untilCaughtUp, untilServing } from './scale-db.js';
import type { ReadsRequest, ReadsResult } from './scale-reads.js';
import { compare, formatComparison, type Phase } from './scale-report.js';
import { openBenchDatabase, serverInfo } from './support/database.js';
import { runBench } from './support/main.js';
import { machine } from './support/report.js';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    scale: { type: 'string', default: '1000000' },
    messages: { type: 'string', default: '10000' },
    requests: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '5' },
    runs: { type: 'string', default: '5' },
    'skip-ui': { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const log = (msg: string) => process.stderr.write(`[scale ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const N = Number(args.scale);
const N50 = Math.floor(N / 50);
const MESSAGES = Number(args.messages);
const REQUESTS = Number(args.requests);
const WARMUP = Number(args.warmup);
const RUNS = Number(args.runs);
if (!Number.isInteger(N) || N < 1000) throw new Error(`--scale must be an integer of at least 1000, not ${args.scale}`);

async function main(cleanup: Array<() => Promise<void>>) {
  const uiRoot = process.env.ARRAKIS_TEST_UI_ROOT ?? join(projectRoot, 'ui', 'dist');
  const withUi = !args['skip-ui'];
  if (withUi && !existsSync(join(uiRoot, 'index.html'))) throw new Error(`no built UI in ${uiRoot}: build one (npx vite build --config ui/vite.config.ts --outDir DIR) and set ARRAKIS_TEST_UI_ROOT, or pass --skip-ui`);
  if (withUi && !existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath} (set CHROMIUM_PATH), or pass --skip-ui`);

  const db = await openBenchDatabase(log);
  // An embedded cluster goes with this process, so only a database on a given server can be kept.
  const keep = args.keep && db.source !== 'embedded';
  cleanup.push(() => (keep ? (log(`kept the database: ${db.url}`), Promise.resolve()) : db.close()));
  const sql = connect(db.url, { max: 12 });
  cleanup.push(() => sql.end({ timeout: 5 }));
  const info = await serverInfo(sql);
  const dbName = new URL(db.url).pathname.slice(1);

  // When each rebuilt projection had folded the log and how long its indexes took (slot-lanes.ts logs it).
  const indexed: Array<{ projection: string; started: number; ms: number }> = [];
  const logger = { ...silentLogger, info: (msg: string, fields?: Fields) => {
    if (msg === 'rebuilt projection indexed') indexed.push({ projection: String(fields!.projection), started: performance.now() - Number(fields!.indexedMs), ms: Number(fields!.indexedMs) });
  } };
  const projector = await startProjector(sql, { projections: allProjections, batchSize: 1000, logger });
  cleanup.push(() => projector.stop());

  const suffix = () => randomBytes(12).toString('hex');
  const keys = { ingest: `bench-ingest-${suffix()}`, read: `bench-read-${suffix()}`, admin: `bench-admin-${suffix()}` };

  /** The reads and the UI, measured by bench/scale-reads.ts in a process of its own. */
  async function measureReads(sessions: number): Promise<ReadsResult> {
    const request: ReadsRequest = { url: db.url, keys, uiRoot, withUi, requests: REQUESTS, warmup: WARMUP, runs: RUNS, messages: MESSAGES, sessions };
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'bench/scale-reads.ts'), JSON.stringify(request)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`bench/scale-reads.ts exited with ${code}`);
    return JSON.parse(out) as ReadsResult;
  }

  const writer = scaleLog(sql, log);
  const paths: Record<string, Record<string, string>> = {};
  async function phase(label: string, ordinaryEvents: number): Promise<Phase> {
    log(`${label}: growing the log to ${ordinaryEvents.toLocaleString('en-US')} ordinary events`);
    const before = (await sql<{ n: number }[]>`select count(*)::int as n from arrakis.events`)[0]!.n;
    await writer.growTo(ordinaryEvents);
    const events = (await sql<{ n: number }[]>`select count(*)::int as n from arrakis.events`)[0]!.n;
    const catchUpStarted = performance.now();
    await untilCaughtUp(sql, projector);
    const catchUpEps = (events - before) / ((performance.now() - catchUpStarted) / 1000);
    log(`${label}: projected ${(events - before).toLocaleString('en-US')} new events live at ${Math.round(catchUpEps).toLocaleString('en-US')} events/s`);

    const rebuildStarted = performance.now();
    indexed.length = 0;
    const generations = new Map<string, number>();
    for (const projection of allProjections) generations.set(projection.name, await requestRebuild(sql, projection));
    await untilServing(sql, projector, generations);
    const rebuildEps = events / ((performance.now() - rebuildStarted) / 1000);
    const rebuildFoldEps = events / ((Math.max(...indexed.map((i) => i.started)) - rebuildStarted) / 1000);
    const rebuildIndexSeconds = Math.max(...indexed.map((i) => i.ms)) / 1000;
    log(`${label}: rebuilt every projection over ${events.toLocaleString('en-US')} events at ${Math.round(rebuildEps).toLocaleString('en-US')} events/s (folded at ${Math.round(rebuildFoldEps).toLocaleString('en-US')} events/s)`);
    log(`${label}: indexed ${indexed.map((i) => `${i.projection} ${(i.ms / 1000).toFixed(1)} s`).join(', ')}`);
    // Each rebuild keeps the previous generation for a rollback; a second one would drop it. The sizes count the serving generation only.
    await sql`vacuum analyze`;
    const size = await sizes(sql);

    // The rebuild's writes flushed now, not during the reads.
    await sql`checkpoint`.catch(() => log('(no CHECKPOINT privilege; a checkpoint may land inside the reads)'));
    const { paths: measured, reads, ui, loadAverage } = await measureReads(writer.sessions);
    paths[label] = measured;
    for (const [name, read] of Object.entries(reads)) log(`${label}: ${name.padEnd(26)} p50 ${read.p50.toFixed(1)} ms, p95 ${read.p95.toFixed(1)} ms`);
    log(`${label}: load average ${loadAverage.toFixed(1)} during the reads`);
    if (withUi) log(`${label}: UI ${Object.entries(ui).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
    return {
      events,
      sessions: writer.sessions + 1,
      reads,
      ui,
      rebuildEps,
      rebuildFoldEps,
      rebuildIndexSeconds,
      catchUpEps,
      bytesPerEvent: (size.events + size.projections) / events,
      eventBytesPerEvent: size.events / events,
      projectionBytesPerEvent: size.projections / events,
      loadAverage,
    };
  }

  const started = performance.now();
  await writer.writeBigConversation(MESSAGES);
  const small = await phase('N/50', N50);
  const bigEvents = small.events - N50;
  const large = await phase('N', Math.max(N50, N - bigEvents));

  const comparison = compare(large, small, { n: N, events_at_N: large.events, events_at_N50: small.events, sessions_at_N: large.sessions, sessions_at_N50: small.sessions, projects: PROJECTS, hosts: HOSTS, big_conversation_messages: MESSAGES });
  const { figures, missed } = comparison;
  figures.total_seconds = (performance.now() - started) / 1000;
  if (args.explain && missed.length > 0) {
    // Fresh connections that log every statement's plan, with timings, in the server's log.
    // postgres.js sends the URL's other query parameters as the connection's settings.
    const url = new URL(db.url);
    for (const [k, v] of Object.entries({ session_preload_libraries: 'auto_explain', 'auto_explain.log_min_duration': '0', 'auto_explain.log_analyze': 'on', 'auto_explain.log_buffers': 'on' })) url.searchParams.set(k, v);
    const explaining = connect(url.toString(), { max: 2, applicationName: 'arrakis-scale-explain' });
    const explainServer = await listen(createApp({ sql: explaining, appender: createAppender(explaining), keys }), { port: 0 });
    for (const name of missed) {
      const path = paths.N?.[name];
      if (path) await fetch(new URL(path, explainServer.url), { headers: { authorization: `Bearer ${keys.read}` } }).then((r) => r.text());
    }
    await explainServer.close();
    await explaining.end({ timeout: 5 });
    log(`plans of ${missed.join(', ')} at N are in the PostgreSQL server's log (application arrakis-scale-explain)`);
  }

  const m = machine(info, db.source);
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ machine: m, figures })}\n`);
    return;
  }
  const described = `N = ${large.events.toLocaleString('en-US')} events (${large.sessions} sessions), N/50 = ${small.events.toLocaleString('en-US')} (${small.sessions} sessions; both hold the ${MESSAGES.toLocaleString('en-US')}-message conversation), ${PROJECTS} projects, ${HOSTS} hosts`;
  process.stdout.write(`${formatComparison(m, comparison, described)}\n`);
}

runBench(main);
