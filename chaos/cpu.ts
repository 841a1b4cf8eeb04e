import { readFileSync } from 'node:fs';

/**
 * CPU spent, from Linux's /proc: the whole machine's busy time (others' work included) and
 * this process's own plus that of the children it has reaped (hook runs, the server, the
 * projector and Postgres once stopped; not the detached flushers). Together they say whether a
 * run was slow because of itself or because the machine was shared.
 */
export interface CpuSample {
  at: number;
  machineBusy: number;
  machineTotal: number;
  run: number;
}

export interface CpuUse {
  wallSeconds: number;
  /** CPU seconds this run used (hooks, server, projector, Postgres, itself). */
  runSeconds: number;
  /** CPU seconds every process on the machine used, this run's included. */
  machineBusySeconds: number;
  /** Of all the machine's CPU time in the span, the share busy, 0–1. */
  machineBusyShare: number;
}

const TICKS_PER_SECOND = 100;

export function sampleCpu(): CpuSample | null {
  try {
    const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
    const fields = cpu!.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3]! + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const self = readFileSync('/proc/self/stat', 'utf8');
    // utime, stime, cutime, cstime are fields 14-17; the command name before ')' may hold spaces.
    const [utime, stime, cutime, cstime] = self.slice(self.lastIndexOf(')') + 2).split(' ').slice(11, 15).map(Number);
    return { at: Date.now(), machineBusy: total - idle, machineTotal: total, run: utime! + stime! + cutime! + cstime! };
  } catch {
    return null;
  }
}

export function cpuUse(from: CpuSample | null, to: CpuSample | null): CpuUse | null {
  if (!from || !to) return null;
  const total = to.machineTotal - from.machineTotal;
  return {
    wallSeconds: (to.at - from.at) / 1000,
    runSeconds: (to.run - from.run) / TICKS_PER_SECOND,
    machineBusySeconds: (to.machineBusy - from.machineBusy) / TICKS_PER_SECOND,
    machineBusyShare: total > 0 ? (to.machineBusy - from.machineBusy) / total : 0,
  };
}
