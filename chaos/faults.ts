import { setTimeout as sleep } from 'node:timers/promises';

export type FaultKind = 'server' | 'projector' | 'postgres';

export interface Fault {
  kind: FaultKind;
  /** When the kill (or crash) happened, as Date.now(). */
  at: number;
  /** Hook invocations started when it happened. */
  atInvocation: number;
  /** From the kill until the restarted process was ready again. */
  downMs: number;
  /** From the kill until every event started before it was stored and projected; null if never. */
  caughtUpMs: number | null;
}

/**
 * Server and projector kills alternate; Postgres restarts sit evenly among them, never first
 * or last, so the run also sees a kill land while the others are still recovering from one.
 */
export function faultPlan({ serverKills, projectorKills, postgresRestarts }: { serverKills: number; projectorKills: number; postgresRestarts: number }): FaultKind[] {
  const kills: FaultKind[] = [];
  for (let i = 0; i < Math.max(serverKills, projectorKills); i++) {
    if (i < serverKills) kills.push('server');
    if (i < projectorKills) kills.push('projector');
  }
  const plan = [...kills];
  for (let j = postgresRestarts - 1; j >= 0; j--) plan.splice(Math.round(((j + 1) * kills.length) / (postgresRestarts + 1)), 0, 'postgres');
  return plan;
}

/**
 * Fires the plan's faults one after another, spread evenly over the invocations: fault i of F
 * when invocation N·(i+1)/(F+1) has started, so the load keeps running through all of them.
 * Each fault's catch-up is watched while the next ones go on.
 */
export async function runFaults({ plan, invocations, started, act, caughtUp, log }: {
  plan: FaultKind[];
  invocations: number;
  started: () => number;
  /** Performs one fault; resolves with its downtime once the victim is back. */
  act: (kind: FaultKind) => Promise<number>;
  /** Resolves with the ms from the fault until its backlog is stored and projected. */
  caughtUp: (fault: { at: number; atInvocation: number }) => Promise<number | null>;
  log: (line: string) => void;
}): Promise<Fault[]> {
  const faults: Array<Promise<Fault>> = [];
  for (const [i, kind] of plan.entries()) {
    const threshold = Math.floor((invocations * (i + 1)) / (plan.length + 1));
    while (started() < threshold) await sleep(25);
    const at = Date.now();
    const atInvocation = started();
    const downMs = await act(kind);
    log(`fault ${i + 1}/${plan.length}: ${kind} at invocation ${atInvocation}, back after ${downMs} ms`);
    faults.push(caughtUp({ at, atInvocation }).then((caughtUpMs) => ({ kind, at, atInvocation, downMs, caughtUpMs })));
  }
  return Promise.all(faults);
}
