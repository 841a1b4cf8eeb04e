/**
 * The usage reports over a team-year, at 10,000 and at 1,000,000 API responses in the same
 * run: the reports read the rollups (hours × models × projects × hosts, sessions × models),
 * not the responses, so a hundred times the responses should cost a few times the time at
 * most (the rollups fill up, they do not grow a hundredfold). `tsx bench/usage.ts [--json]
 * [--small N] [--large N] [--runs N]`.
 *
 * The responses are written straight into the serving generation's document table with
 * generate_series, a statement per few hundred sessions, so the rollups are built by the
 * table's own insert triggers: the path under test. A team of 10 developers, 250 workdays of
 * 8 hours, 4 models, 50 projects, sessions of 100 to 200 responses; each developer's
 * responses are spread evenly over the year's working hours, so the smaller log covers the
 * same hours, thinner.
 */
import { parseArgs } from 'node:util';
import { connect, type Sql } from '../core/db.js';
import { allProjections } from '../projections/index.js';
import { ensureProjection } from '../projections/engine/registry.js';
import { blockUsage, dailyUsage, sessionUsage } from '../projections/usage/queries.js';
import { openBenchDatabase } from './support/database.js';
import { runBench } from './support/main.js';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    small: { type: 'string', default: '10000' },
    large: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '7' },
  },
});
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const RUNS = Math.max(1, Number(args.runs));

const DEVS = 10;
const WORKDAYS = 250;
const HOURS_A_DAY = 8;
const PROJECTS = 50;
/** Monday 6 January 2025, 08:00 UTC (09:00 in Paris): the first working hour. */
const YEAR_START = '2025-01-06T08:00:00Z';
/** After the last working day (Friday 19 December 2025, 16:00 UTC): what `recent` blocks are counted from. */
const NOW = new Date('2025-12-19T17:00:00Z');
const SESSIONS_A_STATEMENT = 300;

// Per million tokens: input, output, cache write (5 min), cache write (1 h), cache read. Close to the price table; the
// documents carry a cost, the reports sum it, so only its magnitude matters here.
const MODELS = [
  { name: 'claude-opus-4-7', prices: [5, 25, 6.25, 10, 0.5] },
  { name: 'claude-sonnet-4-5-20250929', prices: [3, 15, 3.75, 6, 0.3] },
  { name: 'claude-haiku-4-5-20251001', prices: [1, 5, 1.25, 2, 0.1] },
  { name: 'claude-opus-4-1-20250805', prices: [15, 75, 18.75, 30, 1.5] },
];

/** A deterministic pseudo-random integer in [0, 2^31) from a seed expression and a salt. */
const hash = (seed: string, salt: number) => `(('x' || substr(md5((${seed})::text || ':${salt}'), 1, 8))::bit(32)::int & 2147483647)`;

/**
 * Sessions `from` to `to` (excluded) of a log of `total` responses. Session `s` is developer
 * `s % 10`'s, of 100 to 200 responses; a developer's responses are laid evenly over the
 * working hours (Monday to Friday, 8 a day), so session `s` follows the developer's previous
 * one. Its main model is Opus 4.7 (60%), Sonnet 4.5 (30%) or Opus 4.1 (10%), a fifth of its
 * responses Haiku's (tool summaries); its project one of the developer's eight favourites
 * most of the time, else any of the 50.
 */
function insertSessions(table: string, total: number, from: number, to: number, sessionCount: number): string {
  const perDev = total / DEVS;
  const workHours = WORKDAYS * HOURS_A_DAY;
  const models = `(array[${MODELS.map((m) => `'${m.name}'`).join(', ')}])`;
  const price = (k: number) => `(array[${MODELS.map((m) => m.prices[k]).join(', ')}])`;
  return `
    with sessions as (
      select s, s % ${DEVS} as dev, 100 + ${hash('s', 1)} % 101 as len,
             case when ${hash('s', 2)} % 10 < 6 then 1 when ${hash('s', 2)} % 10 < 9 then 2 else 4 end as main_model,
             case when ${hash('s', 3)} % 10 < 8 then (s % ${DEVS}) * 5 + ${hash('s', 4)} % 8 else ${hash('s', 4)} % ${PROJECTS} end % ${PROJECTS} as project
        from generate_series(0, ${sessionCount - 1}) s),
    placed as (
      select *, sum(len) over (partition by dev order by s) - len as dev_before, sum(len) over (order by s) - len as before
        from sessions),
    responses as (
      select p.s, p.dev, p.project, p.before + j as i,
             case when ${hash('p.before + j', 5)} % 5 = 0 then 3 else p.main_model end as model,
             -- Fractional working hours since the year began: the developer's share of the log, spread evenly.
             least((p.dev_before + j + ${hash('p.before + j', 6)} % 1000 / 1000.0)::float8 / ${perDev} * ${workHours}, ${workHours} - 0.001) as t,
             j
        from placed p cross join lateral generate_series(0, p.len - 1) j
       where p.s >= ${from} and p.s < ${to} and p.before + j < ${total}),
    docs as (
      select r.*,
             timestamptz '${YEAR_START}' + ((floor(r.t / ${HOURS_A_DAY})::int / 5) * 7 + floor(r.t / ${HOURS_A_DAY})::int % 5) * interval '1 day'
               + (r.t - floor(r.t / ${HOURS_A_DAY}) * ${HOURS_A_DAY}) * interval '1 hour' as at,
             1 + ${hash('r.i', 7)} % 8 as input,
             50 + ${hash('r.i', 8)} % 1500 as output,
             case when r.j = 0 then 8000 + ${hash('r.i', 9)} % 20000 else ${hash('r.i', 9)} % 3000 end as creation,
             case when ${hash('r.i', 10)} % 2 = 0 then 1 else 0 end as one_hour,
             case when r.j = 0 then 0 else 20000 + ${hash('r.i', 11)} % 130000 end as cache_read
        from responses r),
    priced as (
      select d.*, d.creation * d.one_hour as c1h, d.creation * (1 - d.one_hour) as c5m,
             (d.input * ${price(0)}[d.model] + d.output * ${price(1)}[d.model] + d.creation * (1 - d.one_hour) * ${price(2)}[d.model]
               + d.creation * d.one_hour * ${price(3)}[d.model] + d.cache_read * ${price(4)}[d.model]) / 1e6 as cost,
             d.cache_read * (${price(0)}[d.model] - ${price(4)}[d.model]) / 1e6 as savings
        from docs d)
    insert into ${table} (key, session_id, at, seq, doc, first_position, last_position)
    select 'response:msg_bench_' || p.i, 'b0000000-0000-4000-8000-' || lpad(p.s::text, 12, '0'), p.at, p.i,
           jsonb_build_object(
             'messageId', 'msg_bench_' || p.i, 'sessionId', 'b0000000-0000-4000-8000-' || lpad(p.s::text, 12, '0'),
             'model', ${models}[p.model], 'at', to_char(p.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'cwd', '/home/dev' || p.dev || '/src/project-' || p.project, 'project', 'project-' || p.project, 'host', 'host-' || p.dev,
             'tokens', jsonb_build_object('input', p.input, 'output', p.output, 'cacheCreation', p.creation,
               'cacheCreation5m', p.c5m, 'cacheCreation1h', p.c1h, 'cacheRead', p.cache_read),
             'costUsd', round(p.cost::numeric, 10), 'priced', 'exact', 'cacheSavingsUsd', round(p.savings::numeric, 10),
             'position', p.i, 'firstPosition', p.i),
           p.i, p.i
      from priced p`;
}

/** Sessions enough for `total` responses at 150 on average, and a few spare (the last is cut at `total`). */
const sessionsFor = (total: number) => Math.ceil(total / 150) + 20;

async function generate(sql: Sql, table: string, total: number): Promise<number> {
  for (const suffix of ['', '__hourly', '__sessions', '__costs']) await sql.unsafe(`truncate ${table}${suffix}`);
  const sessions = sessionsFor(total);
  const started = performance.now();
  for (let from = 0; from < sessions; from += SESSIONS_A_STATEMENT) {
    await sql.unsafe(insertSessions(table, total, from, Math.min(from + SESSIONS_A_STATEMENT, sessions), sessions));
  }
  const ms = performance.now() - started;
  for (const suffix of ['', '__hourly', '__sessions', '__costs']) await sql.unsafe(`vacuum analyze ${table}${suffix}`);
  return ms;
}

async function median(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

interface Measured {
  responses: number;
  generate_s: number;
  hourly_rows: number;
  session_rows: number;
  days: number;
  daily_ms: number;
  sessions_ms: number;
  blocks_ms: number;
}

async function measure(sql: Sql, table: string, total: number): Promise<Measured> {
  log(`generating ${total} responses`);
  const generateMs = await generate(sql, table, total);
  const [counts] = await sql<{ responses: number; hourly: number; sessions: number; sessionIds: number }[]>`
    select (select count(*)::int from arrakis.proj_usage) as responses,
           (select count(*)::int from arrakis.proj_usage__costs) as "sessionIds",
           (select count(*)::int from arrakis.proj_usage__hourly) as hourly,
           (select count(*)::int from arrakis.proj_usage__sessions) as sessions`;
  const daily = () => dailyUsage(sql, { tz: 'Europe/Paris', breakdown: 'model', since: '2025-01-01', until: '2025-12-31' });
  const report = await daily();
  // The rollups are the documents summed: a check that the triggers counted every response once.
  if (report.totals.responses !== counts!.responses) throw new Error(`daily report counts ${report.totals.responses} responses of ${counts!.responses}`);
  const sessions = await sessionUsage(sql, { order: 'cost', limit: 10 });
  if (sessions.sessions.length !== Math.min(10, counts!.sessionIds)) throw new Error(`sessions report lists ${sessions.sessions.length} sessions`);
  const blocks = await blockUsage(sql, { recent: true, now: NOW });
  if (blocks.blocks.filter((b) => !b.isGap).length === 0) throw new Error('no recent block');
  const measured: Measured = {
    responses: counts!.responses,
    generate_s: generateMs / 1000,
    hourly_rows: counts!.hourly,
    session_rows: counts!.sessions,
    days: report.daily.length,
    daily_ms: await median(daily),
    sessions_ms: await median(() => sessionUsage(sql, { order: 'cost', limit: 10 })),
    blocks_ms: await median(() => blockUsage(sql, { recent: true, now: NOW })),
  };
  log(JSON.stringify(measured));
  return measured;
}

const label = (n: number) => (n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

async function main(cleanup: Array<() => Promise<void>>) {
  const db = await openBenchDatabase(log);
  cleanup.push(() => db.close());
  const sql = connect(db.url, { max: 4 });
  cleanup.push(() => sql.end({ timeout: 5 }));
  // Every projection registered (the sessions report reads titles from conversations'); none runs.
  for (const projection of allProjections) await ensureProjection(sql, projection);
  const [{ generation } = { generation: 0 }] = await sql<{ generation: number }[]>`select active_generation as generation from arrakis.projections where name = 'usage'`;
  const table = `arrakis.proj_usage_g${generation}`;

  const small = Number(args.small);
  const large = Number(args.large);
  const a = await measure(sql, table, small);
  const b = await measure(sql, table, large);
  const [s, l] = [label(small), label(large)];
  const figures: Record<string, number> = {};
  for (const [key, value] of Object.entries(a)) figures[`usage_${key}_${s}`] = value;
  for (const [key, value] of Object.entries(b)) figures[`usage_${key}_${l}`] = value;
  Object.assign(figures, {
    [`usage_generate_us_per_response_${l}`]: (b.generate_s * 1e6) / b.responses,
    [`usage_daily_${l}_vs_${s}`]: b.daily_ms / a.daily_ms,
    [`usage_sessions_${l}_vs_${s}`]: b.sessions_ms / a.sessions_ms,
    [`usage_blocks_${l}_vs_${s}`]: b.blocks_ms / a.blocks_ms,
  });
  if (args.json) process.stdout.write(`${JSON.stringify({ figures })}\n`);
  else {
    for (const m of [a, b]) {
      process.stdout.write(`${label(m.responses).padStart(5)} responses (generated in ${m.generate_s.toFixed(1)} s; ${m.hourly_rows} hourly rows, ${m.session_rows} session rows, ${m.days} days):` +
        ` daily ${m.daily_ms.toFixed(1)} ms, sessions by cost ${m.sessions_ms.toFixed(1)} ms, recent blocks ${m.blocks_ms.toFixed(1)} ms\n`);
    }
    process.stdout.write(`${l} vs ${s}: daily ${(b.daily_ms / a.daily_ms).toFixed(2)}×, sessions ${(b.sessions_ms / a.sessions_ms).toFixed(2)}×, blocks ${(b.blocks_ms / a.blocks_ms).toFixed(2)}× (target daily ≤ 5×)\n`);
  }
}

runBench(main);
