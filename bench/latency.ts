/**
 * From an append's start to the projection's NOTIFY saying it has the event, at a steady
 * 100 events/s with the projector running every projection, after a warm-up at the same rate
 * reported apart. `tsx bench/latency.ts [--json] [--seconds N] [--warmup N]`.
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '../core/db.js';
import { createAppender } from '../core/group-commit.js';
import { allProjections } from '../projections/index.js';
import { startProjector } from '../projections/engine/projector.js';
import { PROJECTIONS_CHANNEL } from '../projections/engine/commit-batch.js';
import { openBenchDatabase } from './support/database.js';
import { turnEvents } from '../test/support/sessions.js';
import { runBench } from './support/main.js';

const { values: args } = parseArgs({
  options: { json: { type: 'boolean', default: false }, seconds: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' }, rate: { type: 'string', default: '100' }, projection: { type: 'string', default: 'conversations' } },
});
const watched = allProjections.some((p) => p.name === args.projection) ? args.projection : allProjections[0]!.name;
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function main(cleanup: Array<() => Promise<void>>) {
  const db = await openBenchDatabase(log);
  cleanup.push(() => db.close());
  const sql = connect(db.url, { max: 8 });
  cleanup.push(() => sql.end({ timeout: 5 }));
  const projector = await startProjector(sql, { projections: allProjections });
  cleanup.push(() => projector.stop());
  const appender = createAppender(sql);

  const pending: Array<{ position: number; started: number }> = [];
  const delays: number[] = [];
  // A notification can overtake the append's own answer; remember it for the answer that follows.
  const notified: Array<{ pos: number; at: number }> = [];
  await sql.listen(PROJECTIONS_CHANNEL, (payload) => {
    const { p, pos } = JSON.parse(payload) as { p: string; pos: number };
    if (p !== watched) return;
    const now = performance.now();
    notified.push({ pos, at: now });
    while (pending.length > 0 && pending[0]!.position <= pos) delays.push(now - pending.shift()!.started);
  });

  const rate = Number(args.rate);
  const events = Array.from({ length: 200 }, (_, turn) => turnEvents('11111111-0000-4000-8000-000000000000', turn, new Date()).filter((e) => e.type === 'UserPromptSubmit')[0]!);
  let sent = 0;
  /** Appends at a steady rate for `seconds`; each one's delay to the NOTIFY. */
  async function steady(seconds: number): Promise<number[]> {
    delays.length = 0;
    notified.length = 0;
    const total = Math.round(seconds * rate);
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      const at = started + (i * 1000) / rate;
      const wait = at - performance.now();
      if (wait > 0) await sleep(wait);
      const event = { ...events[sent % events.length]!, requestId: `latency-${sent++}` };
      const t0 = performance.now();
      void appender.append([event]).then(([outcome]) => {
        const early = notified.find((n) => n.pos >= outcome!.position && n.at >= t0);
        if (early) delays.push(early.at - t0);
        else {
          pending.push({ position: outcome!.position, started: t0 });
          pending.sort((a, b) => a.position - b.position);
        }
      });
    }
    await appender.drain();
    await sleep(500);
    return [...delays];
  }

  // The first second after a start pays for compiling the code and preparing the statements.
  const warm = await steady(Number(args.warmup));
  const measured = await steady(Number(args.seconds));
  if (measured.length === 0) throw new Error(`no NOTIFY from ${watched} arrived`);
  const figures = {
    projection: watched, events: measured.length, e2e_notify_ms_p50: quantile(measured, 0.5), e2e_notify_ms_p99: quantile(measured, 0.99), rate,
    warmup_events: warm.length, warmup_notify_ms_p99: quantile(warm, 0.99),
  };
  if (args.json) process.stdout.write(`${JSON.stringify({ figures })}\n`);
  else process.stdout.write(`warm-up: ${warm.length} events just after the start, p99 ${figures.warmup_notify_ms_p99.toFixed(1)} ms (not counted below)\nappend → ${watched} NOTIFY at ${rate} events/s over ${measured.length} events: p50 ${figures.e2e_notify_ms_p50.toFixed(1)} ms, p99 ${figures.e2e_notify_ms_p99.toFixed(1)} ms (target p99 < 20 ms)\n`);
}

runBench(main);
