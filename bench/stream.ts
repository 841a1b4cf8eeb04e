/**
 * The live stream as a user sees it: from `POST /api/claude-hooks` to the SSE frame at a
 * subscribed client, at a steady 100 events/s, beside the POST's own answer time measured in
 * the same run; then the server's resident memory with 200 SSE clients beside the same
 * server idle. `tsx bench/stream.ts [--json] [--seconds N] [--warmup N] [--clients N]`.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { projectRoot } from '../core/paths.js';
import { envelope } from '../test/support/events.js';
import { openSse, type SseClient } from '../test/support/sse.js';
import { openBenchDatabase } from './support/database.js';
import { poster } from './support/http.js';
import { runBench } from './support/main.js';

const { values: args } = parseArgs({
  options: { json: { type: 'boolean', default: false }, seconds: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' }, rate: { type: 'string', default: '100' }, clients: { type: 'string', default: '200' } },
});
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const residentMb = async (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function main(cleanup: Array<() => Promise<void>>) {
  const db = await openBenchDatabase(log);
  cleanup.push(() => db.close());
  const key = (scope: string) => `bench-${scope}-${randomBytes(12).toString('hex')}`;
  const keys = { ingest: key('ingest'), read: key('read'), admin: key('admin') };
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'bench/support/stream-server.ts'), db.url], {
    env: { ...process.env, ARRAKIS_INGEST_KEY: keys.ingest, ARRAKIS_READ_KEY: keys.read, ARRAKIS_ADMIN_KEY: keys.admin },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  cleanup.push(async () => {
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
  });
  const [url] = (await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next()).value.split(/\s/);
  const headers = { authorization: `Bearer ${keys.read}` };
  const stream = `${url}api/conversations/stream`;
  // node:http with keep-alive, as the hook delivers (hook/deliver.js); fetch's own client adds
  // tails of its own (p99 100-170 ms against 20-30 ms for the same server here).
  const client = poster(`${url}api/claude-hooks`, keys.ingest, 4);
  cleanup.push(async () => client.close());

  const sentAt = new Map<string, number>();
  const frameDelays: number[] = [];
  const watcher = await openSse(stream, {
    headers,
    onFrame: (frame) => {
      if (frame.event === 'change') frameDelays.push(performance.now() - sentAt.get(JSON.parse(frame.data).requestId)!);
    },
  });
  await watcher.until((f) => f.length > 0, 'ready');
  const rate = Number(args.rate);
  const sessionId = randomUUID();

  /** Posts at a steady rate for `seconds`; the delays of each POST's answer and of its SSE frame. */
  async function steady(seconds: number) {
    const total = Math.round(seconds * rate);
    frameDelays.length = 0;
    const answers: number[] = [];
    const started = performance.now();
    const posts: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const wait = started + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      const body = envelope({ sessionId });
      const t0 = performance.now();
      sentAt.set(body.requestId, t0);
      posts.push(client.post(JSON.stringify(body)).then(() => void answers.push(performance.now() - t0)));
    }
    await Promise.all(posts);
    await watcher.until(() => frameDelays.length >= total, 'every frame');
    return { answers, frames: [...frameDelays] };
  }

  // The first second after a start pays for compiling the code and preparing the statements:
  // measured, and reported apart from the steady state.
  const warm = await steady(Number(args.warmup));
  const { answers: answerDelays, frames } = await steady(Number(args.seconds));
  watcher.close();

  const idleMb = await residentMb(child.pid!);
  const clients: SseClient[] = [];
  for (let i = 0; i < Number(args.clients); i++) clients.push(await openSse(stream, { headers }));
  await Promise.all(clients.map((c) => c.until((f) => f.length > 0, 'ready')));
  let peakMb = await residentMb(child.pid!);
  for (let i = 0; i < 2 * rate; i++) {
    await client.post(JSON.stringify(envelope({ sessionId })));
    if (i % 20 === 0) peakMb = Math.max(peakMb, await residentMb(child.pid!));
  }
  await sleep(500);
  peakMb = Math.max(peakMb, await residentMb(child.pid!));
  for (const client of clients) client.close();

  const figures = {
    events: frames.length,
    rate,
    warmup_events: warm.frames.length,
    warmup_e2e_ms_p99: quantile(warm.frames, 0.99),
    post_answer_ms_p50: quantile(answerDelays, 0.5),
    post_answer_ms_p99: quantile(answerDelays, 0.99),
    e2e_ms_p50: quantile(frames, 0.5),
    e2e_ms_p99: quantile(frames, 0.99),
    e2e_vs_answer_p50: quantile(frames, 0.5) / quantile(answerDelays, 0.5),
    clients: clients.length,
    server_rss_mb_idle: idleMb,
    server_rss_mb: peakMb,
    rss_clients_vs_idle: peakMb / idleMb,
  };
  if (args.json) process.stdout.write(`${JSON.stringify({ figures })}\n`);
  else {
    process.stdout.write(`warm-up: ${figures.warmup_events} events at ${rate} events/s just after the start, POST → SSE frame p99 ${figures.warmup_e2e_ms_p99.toFixed(1)} ms (not counted below)\n`);
    process.stdout.write(`POST → 201 answer at ${rate} events/s: p50 ${figures.post_answer_ms_p50.toFixed(1)} ms, p99 ${figures.post_answer_ms_p99.toFixed(1)} ms (baseline)\n`);
    process.stdout.write(`POST → SSE frame  at ${rate} events/s: p50 ${figures.e2e_ms_p50.toFixed(1)} ms, p99 ${figures.e2e_ms_p99.toFixed(1)} ms (${figures.e2e_vs_answer_p50.toFixed(2)}× the answer at p50; target p50 < 15 ms, p99 < 50 ms)\n`);
    process.stdout.write(`server memory: ${idleMb.toFixed(0)} MB idle, ${peakMb.toFixed(0)} MB with ${clients.length} SSE clients (${figures.rss_clients_vs_idle.toFixed(2)}×; target < 250 MB)\n`);
  }
}

runBench(main);
