/**
 * Append throughput of the store (group commit) and of the HTTP ingest path, each beside a
 * plain one-INSERT-per-transaction loop measured in the same run on the same database, so
 * the ratios mean something on any machine. `tsx bench/append.ts [--json] [--seconds N]
 * [--clients 1,4,16,64] [--in-flight N] [--batch-events N]`.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { connect } from '../core/db.js';
import { eventRow } from '../core/event-store.js';
import { createAppender } from '../core/group-commit.js';
import { openBenchDatabase, serverInfo } from './support/database.js';
import { bodyOf, requestIds, templates } from './support/events.js';
import { poster, startEmptyServer, startIngestServer } from './support/http.js';
import { closedLoop, summarize, type Sample, type Timing } from './support/load.js';
import { machine, table, type Row } from './support/report.js';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '3' },
    clients: { type: 'string', default: '1,4,16,64' },
    'in-flight': { type: 'string' },
    'batch-events': { type: 'string' },
  },
});
const seconds = Number(args.seconds);
const clients = args.clients.split(',').map(Number);
const count = (flag: 'in-flight' | 'batch-events') => {
  const n = Number(args[flag]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be a positive integer`);
  return n;
};
if (!(seconds > 0) || clients.some((c) => !Number.isInteger(c) || c < 1)) throw new Error('--seconds must be > 0, --clients a list of positive integers');
const appenderOptions = {
  ...(args['in-flight'] !== undefined && { maxInFlight: count('in-flight') }),
  ...(args['batch-events'] !== undefined && { maxBatchEvents: count('batch-events') }),
};
const log = (msg: string) => process.stderr.write(`${msg}\n`);

// Each side runs twice per concurrency, in A B C D then D C B A order, so table growth, cache
// warming and background writes fall on every side alike instead of favouring whoever runs last.
// http_floor stores nothing: it is the HTTP round trip alone (startEmptyServer).
const KINDS = ['baseline_insert', 'store_append', 'ingest', 'http_floor'] as const;
type Kind = (typeof KINDS)[number];
const timing: Timing = { warmupMs: Math.min(1000, Math.max(250, (seconds * 1000) / 6)), durationMs: (seconds * 1000) / 2 };


async function main(cleanup: Array<() => Promise<void> | void>) {
  const db = await openBenchDatabase(log);
  cleanup.push(() => db.close());
  const stats = connect(db.url, { max: 1, applicationName: 'arrakis-bench-stats' });
  const storeSql = connect(db.url, { max: (appenderOptions.maxInFlight ?? 1) + 2, applicationName: 'arrakis-bench-store' });
  cleanup.push(() => stats.end({ timeout: 5 }), () => storeSql.end({ timeout: 5 }));
  const appender = createAppender(storeSql, appenderOptions);
  const key = (scope: string) => `bench-${scope}-${randomBytes(12).toString('hex')}`;
  const keys = { ingest: key('ingest'), read: key('read'), admin: key('admin') };
  const server = await startIngestServer(storeSql, appender, keys);
  const emptyServer = await startEmptyServer();
  cleanup.push(() => server.close(), () => emptyServer.close());
  const m = machine(await serverInfo(stats), db.source);
  log(`${m.cpus} × ${m.cpuModel}; PostgreSQL ${m.postgres}; ${seconds} s per figure, clients ${clients.join(',')}`);

  const [events, nextId] = [templates(), requestIds()];
  let turn = 0;
  const next = () => events[turn++ % events.length]!;

  const figures: Record<string, number> = {};
  const diagnostics: Record<string, number> = {};
  const rows: Row[] = [];
  for (const c of clients) {
    const pool = connect(db.url, { max: c, applicationName: 'arrakis-bench-baseline' });
    const client = poster(server.url, keys.ingest, c);
    const floorClient = poster(emptyServer.url, keys.ingest, c);
    const ops: Record<Kind, () => Promise<void>> = {
      baseline_insert: async () => {
        await pool`insert into arrakis.events ${pool(eventRow({ ...next().event, requestId: nextId() }, new Date()))}`;
      },
      store_append: async () => {
        const t = next();
        await appender.append([{ ...t.event, requestId: nextId() }], t.bytes);
      },
      ingest: () => client.post(bodyOf(next(), nextId())),
      http_floor: () => floorClient.post(bodyOf(next(), nextId())),
    };
    try {
      // A checkpoint now puts its write burst between figures instead of inside one.
      await stats`checkpoint`.catch(() => log('(no CHECKPOINT privilege; a checkpoint may land inside a figure)'));
      const samples = new Map<Kind, Sample[]>(KINDS.map((k) => [k, []]));
      const written = new Map<Kind, { events: number; txns: number }>(KINDS.map((k) => [k, { events: 0, txns: 0 }]));
      for (const order of [KINDS, [...KINDS].reverse()]) {
        for (const kind of order) {
          const [top] = await stats<{ last: number }[]>`select coalesce(max(position), 0) as last from arrakis.events`;
          samples.get(kind)!.push(await closedLoop(c, timing, ops[kind]));
          const [n] = await stats<{ events: number; txns: number }[]>`
            select count(*)::int as events, count(distinct transaction_id)::int as txns from arrakis.events where position > ${top!.last}`;
          written.get(kind)!.events += n!.events;
          written.get(kind)!.txns += n!.txns;
        }
      }
      const baseline = summarize(samples.get('baseline_insert')!).eps;
      for (const kind of KINDS) {
        const { eps, machineCpu, nodeCores } = summarize(samples.get(kind)!);
        const eventsPerTxn = written.get(kind)!.events / Math.max(1, written.get(kind)!.txns);
        figures[`${kind}_eps_${c}`] = Math.round(eps);
        if (kind !== 'baseline_insert') figures[`${kind === 'http_floor' ? kind : kind.split('_')[0]}_vs_insert_${c}`] = round2(eps / baseline);
        Object.assign(diagnostics, {
          [`${kind}_events_per_txn_${c}`]: round2(eventsPerTxn),
          [`${kind}_machine_cpu_${c}`]: round2(machineCpu),
          [`${kind}_node_cores_${c}`]: round2(nodeCores),
        });
        rows.push({ figure: `${kind}_eps_${c}`, value: eps, ...(kind !== 'baseline_insert' && { baseline }), eventsPerTxn, machineCpu, nodeCores });
      }
      figures[`ingest_vs_http_floor_${c}`] = round2(figures[`ingest_eps_${c}`]! / figures[`http_floor_eps_${c}`]!);
      // What HTTP, validation and hashing cost on top of the store's own append at the same
      // concurrency. Ingest cannot outrun the store it waits on, so store ÷ floor bounds the
      // ratio above whatever the server does.
      figures[`ingest_vs_store_${c}`] = round2(figures[`ingest_eps_${c}`]! / figures[`store_append_eps_${c}`]!);
      diagnostics[`store_vs_http_floor_${c}`] = round2(figures[`store_append_eps_${c}`]! / figures[`http_floor_eps_${c}`]!);
      // The machine's CPU spent per ingested request (Node, PostgreSQL and the clients here),
      // and the ratio ingest would reach if every core were busy at that cost: a ceiling that
      // no spreading of the same work over more threads or processes can pass.
      const ingestCpu = summarize(samples.get('ingest')!);
      diagnostics[`ingest_machine_cpu_us_per_request_${c}`] = Math.round((ingestCpu.machineCpu * os.cpus().length * 1e6) / ingestCpu.eps);
      diagnostics[`ingest_cpu_ceiling_vs_http_floor_${c}`] = round2(ingestCpu.eps / ingestCpu.machineCpu / figures[`http_floor_eps_${c}`]!);
      log(`c=${c}: ${KINDS.map((k) => `${k} ${figures[`${k}_eps_${c}`]}/s`).join(', ')}`);
    } finally {
      client.close();
      floorClient.close();
      await pool.end({ timeout: 5 });
    }
  }
  await appender.drain();
  const config = { seconds, clients: clients.join(','), warmupMs: timing.warmupMs, appender: JSON.stringify(appenderOptions), payloadMix: '1/3 UserPromptSubmit ~0.5 KB, 2/3 PostToolUse 1-6 KB' };
  if (args.json) process.stdout.write(`${JSON.stringify({ machine: m, config, figures, diagnostics })}\n`);
  else process.stdout.write(`${table(m, config, rows)}\n`);
}

const round2 = (n: number) => Math.round(n * 100) / 100;

const cleanup: Array<() => Promise<void> | void> = [];
const runCleanup = async () => {
  for (const step of cleanup.splice(0).reverse()) await Promise.resolve().then(step).catch((e: Error) => log(`cleanup: ${e.message}`));
};
// `on`, not `once`: tsx re-sends the signal, and with no listener left the repeat would exit before the cluster stops.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return log('still cleaning up…');
    interrupted = true;
    log(`${signal}: cleaning up`);
    void runCleanup().finally(() => process.exit(130));
  });
}
try {
  await main(cleanup);
} catch (error) {
  process.exitCode = 1;
  log(`bench failed: ${(error as Error).stack ?? String(error)}`);
} finally {
  await runCleanup();
}
