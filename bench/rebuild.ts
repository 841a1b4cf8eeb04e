/**
 * Rebuild throughput of each projection over a realistic log, beside a plain cursor read of
 * the same rows in the same run. `tsx bench/rebuild.ts [--json] [--events N]`.
 */
import { parseArgs } from 'node:util';
import { connect } from '../core/db.js';
import { appendEvents, checkpointOf, START } from '../core/event-store.js';
import { readAfter } from '../core/read-after.js';
import { allProjections } from '../projections/index.js';
import { startProjector } from '../projections/engine/projector.js';
import { requestRebuild } from '../projections/engine/registry.js';
import { projectionStatus } from '../projections/engine/status.js';
import { openBenchDatabase } from './support/database.js';
import { turnEvents } from '../test/support/sessions.js';
import { runBench } from './support/main.js';

const { values: args } = parseArgs({ options: { json: { type: 'boolean', default: false }, events: { type: 'string', default: '200000' } } });
const target = Number(args.events);
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const BATCH = 1000;

async function main(cleanup: Array<() => Promise<void>>) {
  const db = await openBenchDatabase(log);
  cleanup.push(() => db.close());
  const sql = connect(db.url, { max: 6 });
  cleanup.push(() => sql.end({ timeout: 5 }));

  log(`writing ${target} events`);
  let written = 0;
  for (let turn = 0; written < target; turn++) {
    const batch = Array.from({ length: 50 }, (_, s) => turnEvents(`00000000-0000-4000-8000-${String(s).padStart(12, '0')}`, turn, new Date(Date.UTC(2026, 10, 1, 0, turn)))).flat();
    await appendEvents(sql, batch, new Date());
    written += batch.length;
  }
  await sql`vacuum analyze arrakis.events`;

  const readStarted = performance.now();
  let read = 0;
  await sql`select * from arrakis.events order by transaction_id, position`.cursor(1000, (rows) => {
    read += rows.length;
  });
  const baselineEps = read / ((performance.now() - readStarted) / 1000);

  // The projector's own read alone, as a rebuild issues it: snapshot-safe batches growing to
  // four times the batch size, the next one asked for while the current one is in hand.
  // What it costs beside the cursor is spent before any folding or writing starts.
  const batchStarted = performance.now();
  let batchRead = 0;
  for (let limit = BATCH, next = readAfter(sql, START, limit); ; ) {
    const events = await next;
    if (events.length === 0) break;
    batchRead += events.length;
    limit = events.length === limit ? Math.min(limit * 2, BATCH * 4) : BATCH;
    next = readAfter(sql, checkpointOf(events.at(-1)!), limit);
  }
  const batchReadEps = batchRead / ((performance.now() - batchStarted) / 1000);

  const projector = await startProjector(sql, { projections: allProjections, batchSize: BATCH });
  await projector.settled();
  const perProjection: Record<string, number> = {};
  for (const projection of allProjections) {
    const started = performance.now();
    const generation = await requestRebuild(sql, projection);
    for (;;) {
      await projector.settled();
      const status = (await projectionStatus(sql)).find((s) => s.name === projection.name);
      if (status?.generation === generation) break;
    }
    perProjection[projection.name] = read / ((performance.now() - started) / 1000);
  }
  await projector.stop();

  const slowest = Math.min(...Object.values(perProjection));
  const figures = { events: read, baseline_read_eps: baselineEps, batch_read_eps: batchReadEps, batch_read_vs_read: batchReadEps / baselineEps, ...Object.fromEntries(Object.entries(perProjection).map(([n, eps]) => [`rebuild_eps_${n}`, eps])), rebuild_eps: slowest, rebuild_vs_read: slowest / baselineEps };
  if (args.json) process.stdout.write(`${JSON.stringify({ figures })}\n`);
  else {
    process.stdout.write(`plain cursor read: ${Math.round(baselineEps)} events/s over ${read} events\n`);
    process.stdout.write(`projector's batched read alone: ${Math.round(batchReadEps)} events/s (${(batchReadEps / baselineEps).toFixed(2)}× the cursor)\n`);
    for (const [name, eps] of Object.entries(perProjection)) process.stdout.write(`rebuild ${name.padEnd(14)} ${Math.round(eps)} events/s  (${(eps / baselineEps).toFixed(2)}× the read)\n`);
    process.stdout.write(`rebuild_vs_read (slowest projection): ${figures.rebuild_vs_read.toFixed(2)}× (target ≥ 0.5×)\n`);
  }
}

runBench(main);
