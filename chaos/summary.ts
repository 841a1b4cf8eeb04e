import type { ChaosReport } from './chaos.js';
import type { Tally } from './checks.js';

const seconds = (ms: number | null) => (ms === null ? 'not reached' : `${(ms / 1000).toFixed(1)} s`);
const pct = (part: number, whole: number) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(3)}%`);
const tallyLine = (t: Tally) => `${t.stored}/${t.expected} stored (${pct(t.stored, t.expected)}), ${t.lost} lost, ${t.duplicated} duplicated`;

// The seed's promise for recovery; reported, not enforced: it depends on the machine.
const RECOVERY_PROMISE_MS = 60_000;

/** The human summary: figures first, then each promise with whether it held. */
export function summary(r: ChaosReport): string {
  const { load, recovery } = r;
  const faults = r.faults.map((f) =>
    `  ${f.kind.padEnd(9)} at ${seconds(f.at).padStart(8)} (invocation ${String(f.atInvocation).padStart(6)}): back after ${seconds(f.downMs).padStart(6)}, caught up after ${seconds(f.caughtUpMs)}`);
  const projections = r.projections.map((p) =>
    `  ${p.name.padEnd(14)} ${String(p.rows).padStart(7)} rows, g${p.live} vs rebuilt g${p.rebuilt}: ${p.missing + p.extra === 0 ? 'equal' : `${p.missing} missing, ${p.extra} extra`}`);
  const check = (holds: boolean, text: string) => `  ${holds ? '✓' : '✗'} ${text}`;
  const lost = r.hookEvents.lost + r.transcriptLines.lost;
  const duplicated = r.hookEvents.duplicated + r.transcriptLines.duplicated;
  return [
    `chaos run: ${load.invocations} hook invocations by ${r.options.workers} workers on ${r.options.machines} spools, ${r.host.cpus} cores`,
    `  load average before ${r.host.loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${r.host.loadAfter.map((l) => l.toFixed(2)).join(' ')}`,
    `  load took ${seconds(load.durationMs)} (${((load.invocations * 1000) / load.durationMs).toFixed(1)} invocations/s); whole run ${seconds(r.durationMs)}`,
    ...(r.cpu
      ? [`  CPU: this run used ${r.cpu.runSeconds.toFixed(0)} s (hooks, server, projector, Postgres); the machine was busy ${(100 * r.cpu.machineBusyShare).toFixed(0)}% of its ${r.host.cpus} cores (${r.cpu.machineBusySeconds.toFixed(0)} s, others' work included)`]
      : []),
    `faults (${r.faults.length}):`,
    ...faults,
    `  crashes nobody caused (restarted, as docker's restart policy would): server ${r.crashes.server}, projector ${r.crashes.projector}`,
    'recovery ("caught up": every event started before the fault stored and applied by every projection):',
    `  slowest catch-up after a fault: ${seconds(recovery.slowestCatchUpMs)}`,
    `  last fault (${recovery.lastFault ?? 'none'}) → everything stored and every projection at lag 0: ${seconds(recovery.fullMs)}` +
      (recovery.fullMs === null ? '' : `, of which the load still ran ${seconds(recovery.loadRanMs)}`),
    `spools: --flush delivered ${r.flush.delivered} left behind by the flushers; ${r.spool.waiting} still spooled, ${r.spool.deadLetters} dead letters`,
    `hook events:      ${tallyLine(r.hookEvents)}`,
    `transcript lines: ${tallyLine(r.transcriptLines)}`,
    `completeness:     ${pct(r.completeness.present, r.completeness.expected)} of ${r.completeness.expected} expected events present in ${r.completeness.sessions} sessions; ${r.completeness.unexplained} unexplained gaps, ${r.completeness.explained} explained`,
    ...[...r.hookEvents.samples, ...r.transcriptLines.samples].map((s) => `  ${s}`),
    'projections against a fresh rebuild:',
    ...projections,
    ...r.projections.flatMap((p) => p.samples.map((s) => `  ${s}`)),
    'promises:',
    check(r.hookEvents.stored >= 0.999 * r.hookEvents.expected, `99.9% capture: ${pct(r.hookEvents.stored, r.hookEvents.expected)}`),
    check(lost === 0, `zero loss: ${lost} lost`),
    check(r.completeness.unexplained === 0, `completeness: ${r.completeness.unexplained} unexplained gaps`),
    check(duplicated === 0, `100% idempotency: ${duplicated} duplicated`),
    check(recovery.slowestCatchUpMs !== null && recovery.slowestCatchUpMs < RECOVERY_PROMISE_MS, `recovery under 1 minute: slowest catch-up ${seconds(recovery.slowestCatchUpMs)} (reported, not part of the exit code)`),
    ...r.warnings.map((w) => `warning: ${w}`),
    r.ok ? 'OK: nothing lost, nothing duplicated, every projection equals its rebuild' : `FAILED:\n${r.problems.map((p) => `  ${p}`).join('\n')}`,
  ].join('\n');
}
