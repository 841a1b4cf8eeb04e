import type { PeriodReport } from './api.js';
import type { Metric } from './params.js';

export interface ChartSeries {
  name: string;
  color: string;
  /** One value a period, in `labels` order. */
  values: number[];
  total: number;
}

export interface ChartData {
  labels: string[];
  series: ChartSeries[];
}

/** Distinct in light and dark; the last is for what is folded into "other". */
export const palette = ['#c8642e', '#2f7fa6', '#6b9a32', '#9160b8', '#c9a227', '#3a9d82', '#c24f6e', '#8a8178'];
const SHOWN = palette.length - 1;

const MAX_FILLED_DAYS = 400;

/** Every day from `since` to `until`, so that a day without usage shows as a gap; null past a long range. */
function days(since: string, until: string): string[] | null {
  const out: string[] = [];
  for (let at = Date.parse(`${since}T00:00:00Z`), end = Date.parse(`${until}T00:00:00Z`); at <= end; at += 86_400_000) {
    if (out.length >= MAX_FILLED_DAYS) return null;
    out.push(new Date(at).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * The report as stacked series: one a breakdown name, largest first; past seven names the
 * smallest are summed as "N others". Daily rows are spread over every day of the range.
 */
export function chartData(report: PeriodReport, metric: Metric, range?: { since: string; until: string }): ChartData {
  const filled = range && report.rows.every((row) => /^\d{4}-\d{2}-\d{2}$/.test(row.period)) ? days(range.since, range.until) : null;
  const labels = filled && report.rows.every((row) => filled.includes(row.period)) ? filled : report.rows.map((row) => row.period);
  const at = new Map(labels.map((label, i) => [label, i]));
  const byName = new Map<string, number[]>();
  for (const row of report.rows) {
    const i = at.get(row.period)!;
    for (const b of row.breakdowns) {
      const values = byName.get(b.name) ?? byName.set(b.name, labels.map(() => 0)).get(b.name)!;
      values[i]! += metric === 'cost' ? b.cost : b.totalTokens;
    }
  }
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const ranked = [...byName].map(([name, values]) => ({ name, values, total: sum(values) })).sort((a, b) => b.total - a.total || (a.name < b.name ? -1 : 1));
  const kept = ranked.length > SHOWN + 1 ? ranked.slice(0, SHOWN) : ranked;
  const rest = ranked.slice(kept.length);
  const series: ChartSeries[] = kept.map((s, i) => ({ ...s, color: palette[i]! }));
  if (rest.length > 0) {
    const values = labels.map((_, i) => sum(rest.map((s) => s.values[i]!)));
    series.push({ name: `${rest.length} others`, color: palette[SHOWN]!, values, total: sum(values) });
  }
  return { labels, series };
}
