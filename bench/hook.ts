/**
 * The capture hook's cost per event and the spool's drain rate, each beside a baseline from
 * the same run: `node -e 0` (the floor for any Node hook) for the first, nothing for the
 * second (an absolute rate). `tsx bench/hook.ts [--json] [--runs N] [--spool N]`.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from '../core/db.js';
import { createAppender } from '../core/group-commit.js';
import { projectRoot } from '../core/paths.js';
import { openBenchDatabase } from './support/database.js';
import { startIngestServer } from './support/http.js';
import { runBench } from './support/main.js';

const { values: args } = parseArgs({
  options: { json: { type: 'boolean', default: false }, runs: { type: 'string', default: '40' }, spool: { type: 'string', default: '1000' } },
});
const runs = Number(args.runs);
const spoolSize = Number(args.spool);
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const hook = join(projectRoot, '.claude', 'hooks', 'capture-conversation.js');
const keys = { ingest: 'bench-ingest-key-0123456789', read: 'bench-read-key-0123456789', admin: 'bench-admin-key-0123456789' };

// Asynchronous on purpose: the ingest server answering the hook runs in this process.
function timed(argv: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, argv, { env, stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${argv.join(' ')} exited ${code}`))));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Waits for the run's background flusher, so it never competes with the next measurement. */
async function quiet(queue: string): Promise<number> {
  const started = performance.now();
  while ((await readdir(queue).catch(() => [])).some((n) => n.endsWith('.json'))) {
    if (performance.now() - started > 10_000) throw new Error(`spool ${queue} did not drain`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return performance.now() - started;
}

async function main(cleanup: Array<() => Promise<void>>) {
  const db = await openBenchDatabase(log);
  cleanup.push(() => db.close());
  const sql = connect(db.url, { max: 4 });
  cleanup.push(() => sql.end({ timeout: 5 }));
  const server = await startIngestServer(sql, createAppender(sql), keys);
  cleanup.push(() => server.close());
  const dir = await mkdtemp(join(tmpdir(), 'arrakis-bench-hook-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const env = (queue: string) => ({ PATH: process.env.PATH, HOME: dir, CLAUDE_HOOK_API_URL: server.url, CLAUDE_HOOK_API_KEY: keys.ingest, CLAUDE_HOOK_QUEUE_DIR: join(dir, queue), CLAUDE_HOOK_LOG_DIR: join(dir, 'logs'), CLAUDE_HOOK_FLUSHER_IDLE: '3000' });

  const node: number[] = [];
  const hookRuns: number[] = [];
  const delivered: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const payload = JSON.stringify({ session_id: 'bench', hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_use_id: `t${i}`, tool_response: { stdout: 'ok' } });
    // Interleaved, so drift in machine load falls on both alike; the first three warm the caches.
    const n = await timed(['-e', '0'], env('q'));
    const h = await timed([hook], env('q'), payload);
    const d = h + (await quiet(join(dir, 'q')));
    if (i >= 3) node.push(n), hookRuns.push(h), delivered.push(d);
  }

  const queue = join(dir, 'drain');
  await mkdir(queue, { recursive: true });
  for (let i = 0; i < spoolSize; i++) {
    const requestId = randomUUID();
    const envelope = { requestId, event: 'Stop', sessionId: 'bench-drain', capturedAt: new Date().toISOString(), payload: { session_id: 'bench-drain', hook_event_name: 'Stop', i } };
    await writeFile(join(queue, `${requestId}.json`), JSON.stringify({ envelope, attempts: 0 }));
  }
  const drainMs = await timed([hook, '--flush'], env('drain'));
  const [row] = await sql<{ count: number }[]>`select count(*)::int as count from arrakis.events where session_id = 'bench-drain' and type <> 'hook.log'`;
  if (row!.count !== spoolSize) throw new Error(`drain stored ${row!.count} of ${spoolSize}`);

  const figures = {
    node_ms_p50: median(node),
    hook_ms_p50: median(hookRuns),
    hook_vs_node: median(hookRuns) / median(node),
    hook_to_stored_ms_p50: median(delivered),
    spool_drain_eps: spoolSize / (drainMs / 1000),
    spool_drain_s: drainMs / 1000,
  };
  if (args.json) process.stdout.write(`${JSON.stringify({ runs, spool: spoolSize, figures })}\n`);
  else {
    process.stdout.write(`hook_ms_p50 ${figures.hook_ms_p50.toFixed(1)} ms beside node_ms_p50 ${figures.node_ms_p50.toFixed(1)} ms: hook_vs_node ${figures.hook_vs_node.toFixed(2)}× (target ≤ 1.3×, ${runs} runs each)\n`);
    process.stdout.write(`hook_to_stored_ms_p50 ${figures.hook_to_stored_ms_p50.toFixed(1)} ms: from the hook's start until its background flusher has the event stored\n`);
    process.stdout.write(`spool drain: ${spoolSize} envelopes in ${figures.spool_drain_s.toFixed(2)} s = ${Math.round(figures.spool_drain_eps)}/s (target: 1,000 in < 10 s)\n`);
  }
}

runBench(main);
