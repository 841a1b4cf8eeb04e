import type { ChaosReport } from './chaos.js';
import type { Fault } from './faults.js';

/** The longest any fault took to catch up; null when one never did. */
export function slowestCatchUp(faults: readonly Fault[]): number | null {
  if (faults.length === 0 || faults.some((f) => f.caughtUpMs === null)) return null;
  return Math.max(...faults.map((f) => f.caughtUpMs!));
}

/**
 * Problems break the data promises (loss, duplicates, a projection unlike its rebuild, anything
 * left behind) and fail the run. Warnings are findings that depend on timing or the machine:
 * they are reported, and do not.
 */
export function judge(r: Omit<ChaosReport, 'ok' | 'problems' | 'warnings'>): Pick<ChaosReport, 'ok' | 'problems' | 'warnings'> {
  const problems: string[] = [];
  for (const [what, t] of [['hook events', r.hookEvents], ['transcript lines', r.transcriptLines]] as const) {
    if (t.lost > 0) problems.push(`${t.lost} ${what} lost`);
    if (t.duplicated > 0) problems.push(`${t.duplicated} ${what} duplicated`);
    if (t.unexpected > 0) problems.push(`${t.unexpected} ${what} no worker made`);
  }
  for (const p of r.projections) {
    if (p.missing + p.extra > 0) problems.push(`projection ${p.name} differs from its rebuild: ${p.missing} live rows not in it, ${p.extra} rebuilt rows not live`);
  }
  if (r.completeness.unexplained > 0) problems.push(`${r.completeness.unexplained} unexplained capture gaps after recovery`);
  if (r.spool.waiting > 0) problems.push(`${r.spool.waiting} envelopes still spooled after --flush`);
  if (r.spool.deadLetters > 0) problems.push(`${r.spool.deadLetters} envelopes dead-lettered`);
  if (r.load.hookFailures > 0) problems.push(`${r.load.hookFailures} hook runs exited non-zero`);
  const warnings: string[] = [];
  const { server, projector } = r.crashes;
  if (server + projector > 0) warnings.push(`server or projector crashed by themselves (server ${server}, projector ${projector}): their logs say why (--keep)`);
  if (r.recovery.fullMs === null || r.recovery.slowestCatchUpMs === null) {
    warnings.push('the system did not catch up by itself within 3 minutes of a fault or of the load ending (envelopes left in a spool waited for --flush, or a projection was stuck)');
  }
  return { ok: problems.length === 0, problems, warnings };
}
