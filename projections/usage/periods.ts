import type { Sql } from '../../core/db.js';
import { addSums, hourlyWhere, sumColumns, totalsOf, totalTokens, UTC, zeroSums, type Sums } from './filter.js';
import type { BreakdownBy, DailyReport, ModelBreakdown, MonthlyReport, UsageFilter, UsageRow, WeeklyReport } from './report.js';

export interface PeriodOptions extends UsageFilter {
  breakdown?: BreakdownBy;
  /** Oldest first (ccusage's default) or newest first. */
  order?: 'asc' | 'desc';
  /** ccusage counts weeks from Sunday. */
  startOfWeek?: 'sunday' | 'monday';
}

type Unit = 'day' | 'week' | 'month';

const SUMMED = ['input', 'output', 'cache_creation', 'cache_5m', 'cache_1h', 'cache_read', 'cost', 'savings', 'responses'] as const;

interface PeriodRow extends Sums {
  period: string;
  model: string;
  slice: string;
}

/** The local start of each row's period: hours shifted into the zone, truncated, shown as a date. */
function periodOf(sql: Sql, unit: Unit, tz: string, startOfWeek: 'sunday' | 'monday') {
  const local = sql`(h.hour at time zone ${tz})`;
  if (unit === 'week' && startOfWeek === 'sunday') return sql`to_char(date_trunc('week', ${local} + interval '1 day') - interval '1 day', 'YYYY-MM-DD')`;
  return sql`to_char(date_trunc(${unit}, ${local}), ${unit === 'month' ? 'YYYY-MM' : 'YYYY-MM-DD'})`;
}

async function periodRows(sql: Sql, unit: Unit, options: PeriodOptions): Promise<Array<UsageRow & { period: string }>> {
  const tz = options.tz ?? UTC;
  const by = options.breakdown ?? 'model';
  // O(hours × models × slices) rows, summed by hour first so that each hour is shifted into
  // the zone once, then into periods by model and slice, then here into each period's breakdowns.
  const rows = await sql<PeriodRow[]>`
    select ${periodOf(sql, unit, tz, options.startOfWeek ?? 'sunday')} as period, h.model, h.slice, ${sumColumns(sql, 'h')}
      from (select h.hour, h.model, ${sql(`h.${by}`)} as slice, ${[...SUMMED].map((c) => sql`sum(${sql(`h.${c}`)}) as ${sql(c)}`).reduce((a, b) => sql`${a}, ${b}`)}
              from arrakis.proj_usage__hourly h where ${hourlyWhere(sql, options)} group by 1, 2, 3) h
     group by 1, 2, 3 having sum(h.responses) > 0`;
  const periods = new Map<string, { sums: Sums; models: Map<string, Sums>; slices: Map<string, Sums> }>();
  for (const row of rows) {
    let period = periods.get(row.period);
    if (!period) periods.set(row.period, (period = { sums: zeroSums(), models: new Map(), slices: new Map() }));
    period.sums = addSums(period.sums, row);
    period.models.set(row.model, addSums(period.models.get(row.model) ?? zeroSums(), row));
    period.slices.set(row.slice, addSums(period.slices.get(row.slice) ?? zeroSums(), row));
  }
  const sorted = [...periods].sort(([a], [b]) => (a < b ? -1 : 1));
  if (options.order === 'desc') sorted.reverse();
  return sorted.map(([period, { sums, models, slices }]) => ({ period, ...usageRow(sums, models, slices) }));
}

const byCost = <T extends { cost: number }>(a: T, b: T) => b.cost - a.cost;

export function modelBreakdowns(models: Map<string, Sums>): ModelBreakdown[] {
  return [...models]
    .map(([modelName, s]) => ({ modelName, inputTokens: s.input, outputTokens: s.output, cacheCreationTokens: s.cache_creation, cacheReadTokens: s.cache_read, cost: s.cost }))
    .sort(byCost);
}

function usageRow(sums: Sums, models: Map<string, Sums>, slices: Map<string, Sums>): UsageRow {
  return {
    ...totalsOf(sums),
    modelsUsed: [...models.keys()].sort(),
    modelBreakdowns: modelBreakdowns(models),
    breakdowns: [...slices]
      .map(([name, s]) => ({ name, inputTokens: s.input, outputTokens: s.output, cacheCreationTokens: s.cache_creation, cacheReadTokens: s.cache_read, totalTokens: totalTokens(s), cost: s.cost }))
      .sort(byCost),
  };
}

function totals(rows: readonly UsageRow[]) {
  const sums = rows.reduce<Sums>(
    (all, r) =>
      addSums(all, {
        input: r.inputTokens, output: r.outputTokens, cache_creation: r.cacheCreationTokens, cache_5m: r.cacheCreation5mTokens,
        cache_1h: r.cacheCreation1hTokens, cache_read: r.cacheReadTokens, cost: r.totalCost, savings: r.cacheSavingsUsd, responses: r.responses,
      }),
    zeroSums(),
  );
  return totalsOf(sums);
}

const meta = (options: PeriodOptions) => ({ breakdown: options.breakdown ?? 'model', timezone: options.tz ?? UTC });

export async function dailyUsage(sql: Sql, options: PeriodOptions = {}): Promise<DailyReport> {
  const rows = await periodRows(sql, 'day', options);
  return { daily: rows.map(({ period, ...row }) => ({ date: period, ...row })), totals: totals(rows), ...meta(options) };
}

export async function weeklyUsage(sql: Sql, options: PeriodOptions = {}): Promise<WeeklyReport> {
  const rows = await periodRows(sql, 'week', options);
  return { weekly: rows.map(({ period, ...row }) => ({ week: period, ...row })), totals: totals(rows), ...meta(options) };
}

export async function monthlyUsage(sql: Sql, options: PeriodOptions = {}): Promise<MonthlyReport> {
  const rows = await periodRows(sql, 'month', options);
  return { monthly: rows.map(({ period, ...row }) => ({ month: period, ...row })), totals: totals(rows), ...meta(options) };
}
