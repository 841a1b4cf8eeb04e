import type { ReadsResult } from './scale-reads.js';
import type { Machine } from './support/report.js';

/** The goals: every read's p95 under this at N, and at most RATIO_GOAL times its N/50 figure. */
export const P95_GOAL_MS = 100;
export const RATIO_GOAL = 2;
export const REBUILD_RATIO_GOAL = 0.9;

/** What bench/scale.ts measures at one size of the log. */
export interface Phase {
  events: number;
  sessions: number;
  reads: ReadsResult['reads'];
  ui: ReadsResult['ui'];
  rebuildEps: number;
  /** The rebuild until every projection had folded the whole log, before the last of them started indexing. */
  rebuildFoldEps: number;
  /** The longest a projection's indexes, side tables and rollups took to build once it had folded the log. */
  rebuildIndexSeconds: number;
  catchUpEps: number;
  bytesPerEvent: number;
  eventBytesPerEvent: number;
  projectionBytesPerEvent: number;
  /** The machine's 1-minute load average, sampled before and after the reads: a shared machine's other work slows every read alike. */
  loadAverage: number;
}

export interface Comparison {
  /** `<name>_at_N`, `<name>_at_N50` and `<name>_ratio` for each figure, beside `given`. */
  figures: Record<string, number | string>;
  /** The names compared, in the order printed. */
  pairs: string[];
  /** The reads and UI figures that miss the goals. */
  missed: string[];
}

/** Each figure at N beside the same at N/50, and what misses the goals. */
export function compare(large: Phase, small: Phase, given: Record<string, number | string>): Comparison {
  const figures: Record<string, number | string> = { ...given };
  const pairs: string[] = [];
  const pair = (name: string, atN: number, atN50: number) => {
    pairs.push(name);
    figures[`${name}_at_N`] = atN;
    figures[`${name}_at_N50`] = atN50;
    figures[`${name}_ratio`] = atN / atN50;
  };
  const missed: string[] = [];
  for (const name of Object.keys(large.reads)) {
    const [l, s] = [large.reads[name]!, small.reads[name]!];
    pair(`${name}_p50_ms`, l.p50, s.p50);
    pair(`${name}_p95_ms`, l.p95, s.p95);
    if (l.p95 >= P95_GOAL_MS || l.p95 / s.p95 > RATIO_GOAL) missed.push(name);
  }
  for (const name of Object.keys(large.ui)) {
    pair(name, large.ui[name]!, small.ui[name]!);
    if (large.ui[name]! / small.ui[name]! > RATIO_GOAL) missed.push(name);
  }
  pair('rebuild_eps', large.rebuildEps, small.rebuildEps);
  figures.rebuild_scale_ratio = large.rebuildEps / small.rebuildEps;
  pair('rebuild_fold_eps', large.rebuildFoldEps, small.rebuildFoldEps);
  pair('rebuild_index_seconds', large.rebuildIndexSeconds, small.rebuildIndexSeconds);
  pair('catch_up_eps', large.catchUpEps, small.catchUpEps);
  pair('bytes_per_event', large.bytesPerEvent, small.bytesPerEvent);
  pair('event_bytes_per_event', large.eventBytesPerEvent, small.eventBytesPerEvent);
  pair('projection_bytes_per_event', large.projectionBytesPerEvent, small.projectionBytesPerEvent);
  pair('load_average_during_reads', large.loadAverage, small.loadAverage);
  figures.missed = missed.join(',');
  return { figures, pairs, missed };
}

/** The comparison as a table, the goals it misses last. */
export function formatComparison(m: Machine, { figures, pairs, missed }: Comparison, log: string): string {
  const fmt = (v: number) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2));
  const out: string[] = [
    `machine:  ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, node ${m.node}; postgres ${m.postgres} (${m.database})`,
    `log:      ${log}`,
    '',
    `${'figure'.padEnd(36)} ${'at N'.padStart(12)} ${'at N/50'.padStart(12)} ${'ratio'.padStart(7)}`,
  ];
  for (const name of pairs) {
    const read = name.replace(/_p(50|95)_ms$/, '');
    const flag = missed.includes(read) && (name.endsWith('_p95_ms') || !name.includes('_p')) ? '  ✗' : '';
    out.push(`${name.padEnd(36)} ${fmt(figures[`${name}_at_N`] as number).padStart(12)} ${fmt(figures[`${name}_at_N50`] as number).padStart(12)} ${(figures[`${name}_ratio`] as number).toFixed(2).padStart(7)}${flag}`);
  }
  const rebuild = figures.rebuild_scale_ratio as number;
  out.push('', `rebuild_scale_ratio ${rebuild.toFixed(2)} (goal ≥ ${REBUILD_RATIO_GOAL})${rebuild < REBUILD_RATIO_GOAL ? '  ✗' : ''}`);
  out.push(missed.length === 0 ? `every read: p95 < ${P95_GOAL_MS} ms at N and at most ${RATIO_GOAL}× its N/50 figure` : `✗ missing the goals (p95 < ${P95_GOAL_MS} ms at N, at most ${RATIO_GOAL}× N/50): ${missed.join(', ')}`);
  out.push(`total ${(figures.total_seconds as number).toFixed(0)} s`);
  return out.join('\n');
}
