import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../core/paths.js';

export const hookScript = join(projectRoot, '.claude', 'hooks', 'capture-conversation.js');

export interface HookRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A sandbox for hook runs: its own spool, logs and HOME, so nothing touches the real ~/.claude. */
export async function hookSandbox() {
  const dir = await mkdtemp(join(tmpdir(), 'arrakis-hook-'));
  const queueDir = join(dir, 'queue');
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: dir,
    CLAUDE_HOOK_QUEUE_DIR: queueDir,
    CLAUDE_HOOK_LOG_DIR: join(dir, 'logs'),
    CLAUDE_HOOK_RETRY_DELAY: '10',
    // Background flushers linger for the events that follow; in tests they should leave soon.
    CLAUDE_HOOK_FLUSHER_IDLE: '300',
    ...extra,
  });
  return { dir, queueDir, logDir: join(dir, 'logs'), env, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function spawnHook(args: string[], env: NodeJS.ProcessEnv, stdin?: string): { child: ChildProcess; done: Promise<HookRun> } {
  const child = spawn(process.execPath, [hookScript, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c));
  child.stderr!.on('data', (c: Buffer) => (stderr += c));
  child.stdin!.on('error', () => {});
  child.stdin!.end(stdin ?? '');
  const done = new Promise<HookRun>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

export const runHook = (args: string[], env: NodeJS.ProcessEnv, stdin?: string) => spawnHook(args, env, stdin).done;

/** Runs `tasks` with at most `width` at a time (two cores: more only thrashes). */
export async function inParallel<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

/** Waits until background flushers are done: no envelope left in the spool and no drain lock. */
export async function settled(queueDir: string, timeoutMs = 20_000): Promise<void> {
  const { readdir } = await import('node:fs/promises');
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const names = await readdir(queueDir).catch(() => [] as string[]);
    if (!names.some((n) => n.endsWith('.json') || n === '.drain.lock')) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`spool ${queueDir} still busy after ${timeoutMs} ms`);
}
