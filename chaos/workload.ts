import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../core/paths.js';
import { hookInput, newSessionId, sessionSteps, transcriptLine } from './sessions.js';

export const hookScript = join(projectRoot, '.claude', 'hooks', 'capture-conversation.js');

/** One simulated machine: its own HOME, spool, hook log and transcripts, shared by the sessions run on it. */
export interface Machine {
  dir: string;
  queueDir: string;
  env: NodeJS.ProcessEnv;
}

export function createMachines(root: string, count: number, hookEnv: NodeJS.ProcessEnv): Machine[] {
  return Array.from({ length: count }, (_, i) => {
    const dir = join(root, 'machines', `m${i}`);
    const queueDir = join(dir, 'queue');
    mkdirSync(join(dir, 'projects', '-home-dev-chaos'), { recursive: true });
    const env = { PATH: process.env.PATH, HOME: dir, CLAUDE_HOOK_QUEUE_DIR: queueDir, CLAUDE_HOOK_LOG_DIR: join(dir, 'logs'), ...hookEnv };
    return { dir, queueDir, env };
  });
}

export interface WorkloadResult {
  invocations: number;
  /** Transcript lines written before a hook run that ships them. */
  lines: number;
  /** Hook runs that exited non-zero or by a signal (the hook must always exit 0 while capturing). */
  hookFailures: number;
  failureSamples: string[];
  durationMs: number;
}

export interface Workload {
  /** Invocations started so far: every chaos_seq below this has been handed to a hook. */
  started(): number;
  /** Starts no more hooks (the ones running finish); for a run that failed halfway. */
  abort(): void;
  done: Promise<WorkloadResult>;
}

/**
 * Runs `invocations` hook processes, `workers` at a time. Each worker plays whole sessions, one
 * step after another, on machine `worker % machines`; chaos_seq is handed out when a hook
 * starts, so "started before t" is exactly "chaos_seq below started() at t".
 */
export function startWorkload({ invocations, workers, machines }: { invocations: number; workers: number; machines: Machine[] }): Workload {
  if (!existsSync(hookScript)) throw new Error(`${hookScript} is missing: run \`npm run build:hook\``);
  let next = 0;
  let aborted = false;
  let lines = 0;
  let hookFailures = 0;
  const failureSamples: string[] = [];
  const began = Date.now();

  async function worker(index: number): Promise<void> {
    const machine = machines[index % machines.length]!;
    while (next < invocations && !aborted) {
      const sessionId = newSessionId();
      const transcript = join(machine.dir, 'projects', '-home-dev-chaos', `${sessionId}.jsonl`);
      for (const step of sessionSteps(sessionId)) {
        if (next >= invocations || aborted) return;
        const seq = next++;
        if (step.lines.length > 0) {
          appendFileSync(transcript, step.lines.map((line) => `${transcriptLine(line, lines++, new Date())}\n`).join(''));
        }
        const run = await runHook(machine.env, hookInput(step, sessionId, transcript, seq));
        if (run.code !== 0) {
          hookFailures++;
          if (failureSamples.length < 5) failureSamples.push(`chaos_seq ${seq}: exit ${run.code ?? run.signal}: ${run.stderr.slice(0, 500)}`);
        }
      }
    }
  }

  const done = Promise.all(Array.from({ length: Math.min(workers, invocations) }, (_, i) => worker(i))).then(() => ({
    invocations: next,
    lines,
    hookFailures,
    failureSamples,
    durationMs: Date.now() - began,
  }));
  return { started: () => next, abort: () => (aborted = true), done };
}

export interface HookRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** One run of the real hook, as Claude Code starts it: a node process with the hook input on stdin. */
export function runHook(env: NodeJS.ProcessEnv, stdin: string, args: string[] = []): Promise<HookRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [hookScript, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
    child.stdin!.on('error', () => {});
    child.stdin!.end(stdin);
    child.once('error', (error) => resolve({ code: null, signal: null, stdout, stderr: error.message }));
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
