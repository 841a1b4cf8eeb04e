import { statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runHook, type Machine } from './workload.js';

export interface FlushResult {
  /** Background flushers still holding a spool's drain lock when the wait ended. */
  flushersLeft: number;
  /** Each machine's `--flush` answer, e.g. "delivered 0, dead-lettered 0, left in the spool 0". */
  answers: string[];
  /** Envelopes `--flush` delivered: what the background flushers had not. */
  delivered: number;
  /** Machines whose `--flush` exited non-zero (something left in the spool). */
  failed: number;
}

// spool.js LOCK_STALE_MS: an older lock belongs to no live flusher.
const LOCK_STALE_MS = 10_000;

const lockHeld = (queueDir: string) => {
  const stat = statSync(join(queueDir, '.drain.lock'), { throwIfNoEntry: false });
  return stat !== undefined && Date.now() - stat.mtimeMs < LOCK_STALE_MS;
};

/**
 * Lets the background flushers finish (each lingers CLAUDE_HOOK_FLUSHER_IDLE after its last
 * delivery, then ships the hook's log and leaves), so no event arrives after the checks
 * start; then `--flush` delivers whatever is still spooled, as a person would after an outage.
 */
export async function flushSpools(machines: readonly Machine[], timeoutMs: number): Promise<FlushResult> {
  for (const deadline = Date.now() + timeoutMs; machines.some((m) => lockHeld(m.queueDir)) && Date.now() < deadline; ) await sleep(200);
  const flushersLeft = machines.filter((m) => lockHeld(m.queueDir)).length;
  const runs = await Promise.all(machines.map((m) => runHook(m.env, '', ['--flush'])));
  const answers = runs.map((r) => (r.stdout.trim() || r.stderr.trim()).split('\n')[0]!);
  const delivered = answers.reduce((n, a) => n + Number(/delivered (\d+)/.exec(a)?.[1] ?? 0), 0);
  return { flushersLeft, answers, delivered, failed: runs.filter((r) => r.code !== 0).length };
}
