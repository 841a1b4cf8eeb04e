import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** CPU figures tell a CPU-bound run (where commit batching cannot help much) from a flush-bound one. */
export interface Sample {
  ops: number;
  ms: number;
  machineBusyMs: number;
  machineTotalMs: number;
  nodeCpuMs: number;
}

function machineCpu() {
  let busy = 0;
  let total = 0;
  for (const { times: t } of os.cpus()) {
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total };
}

export interface Timing {
  warmupMs: number;
  durationMs: number;
}

// An operation stuck this long after the window means the system under test hung: fail, do not wait forever.
const DRAIN_TIMEOUT_MS = 30_000;

/**
 * Closed loop: `concurrency` workers each run `op` back to back. Only operations that
 * complete inside the window after the warm-up count, so connection setup and JIT warm-up
 * stay out of the figure. The first failure stops the worker that hit it and fails the run.
 */
export async function closedLoop(concurrency: number, { warmupMs, durationMs }: Timing, op: (worker: number) => Promise<void>): Promise<Sample> {
  let stop = false;
  let counting = false;
  let ops = 0;
  let failure: unknown;
  const workers = Array.from({ length: concurrency }, async (_, worker) => {
    while (!stop && failure === undefined) {
      try {
        await op(worker);
      } catch (error) {
        failure ??= error;
        return;
      }
      if (counting) ops++;
    }
  });
  await sleep(warmupMs);
  counting = true;
  const started = performance.now();
  const [cpu0, node0] = [machineCpu(), process.cpuUsage()];
  await sleep(durationMs);
  const [cpu1, node1] = [machineCpu(), process.cpuUsage(node0)];
  const sample: Sample = {
    ops, ms: performance.now() - started, machineBusyMs: cpu1.busy - cpu0.busy, machineTotalMs: cpu1.total - cpu0.total,
    nodeCpuMs: (node1.user + node1.system) / 1000,
  };
  stop = true;
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`operations still running ${DRAIN_TIMEOUT_MS} ms after the window`)), DRAIN_TIMEOUT_MS);
  });
  try {
    await Promise.race([Promise.all(workers), hung]);
  } finally {
    clearTimeout(timer);
  }
  if (failure !== undefined) throw failure;
  return sample;
}

export interface Summary {
  eps: number;
  /** Share of all cores busy, whoever used them. */
  machineCpu: number;
  /** This process (load generator, appender, HTTP server) in cores. */
  nodeCores: number;
}

export function summarize(samples: readonly Sample[]): Summary {
  const sum = (f: (s: Sample) => number) => samples.reduce((n, s) => n + f(s), 0);
  const ms = sum((s) => s.ms);
  return { eps: (sum((s) => s.ops) * 1000) / ms, machineCpu: sum((s) => s.machineBusyMs) / sum((s) => s.machineTotalMs), nodeCores: sum((s) => s.nodeCpuMs) / ms };
}
