import type { Sql } from '../../core/db.js';
import type { BreakdownBy, Totals, UsageFilter } from './report.js';

export const UTC = 'UTC';

/** The hourly rollup rows a filter keeps: `since`/`until` are whole days in its zone. */
export function hourlyWhere(sql: Sql, filter: UsageFilter) {
  const tz = filter.tz ?? UTC;
  return sql`true
    ${filter.since ? sql`and h.hour >= (${filter.since}::date)::timestamp at time zone ${tz}` : sql``}
    ${filter.until ? sql`and h.hour < (${filter.until}::date + 1)::timestamp at time zone ${tz}` : sql``}
    ${dimensions(sql, filter, 'h')}`;
}

/** Project, host and model, on either rollup (aliased `alias`). */
export function dimensions(sql: Sql, filter: UsageFilter, alias: string) {
  const column = (name: string) => sql(`${alias}.${name}`);
  return sql`
    ${filter.project ? sql`and ${column('project')} = ${filter.project}` : sql``}
    ${filter.host ? sql`and ${column('host')} = ${filter.host}` : sql``}
    ${filter.model ? sql`and ${column('model')} = ${filter.model}` : sql``}`;
}

/** Sums of a rollup's columns (aliased `alias`) as numbers: bigint and numeric are cast to float8. */
export const sumColumns = (sql: Sql, alias: string) => {
  const c = (name: string) => sql(`${alias}.${name}`);
  return sql`
    coalesce(sum(${c('input')}), 0)::float8 as input, coalesce(sum(${c('output')}), 0)::float8 as output,
    coalesce(sum(${c('cache_creation')}), 0)::float8 as cache_creation, coalesce(sum(${c('cache_5m')}), 0)::float8 as cache_5m,
    coalesce(sum(${c('cache_1h')}), 0)::float8 as cache_1h, coalesce(sum(${c('cache_read')}), 0)::float8 as cache_read,
    coalesce(sum(${c('cost')}), 0)::float8 as cost, coalesce(sum(${c('savings')}), 0)::float8 as savings,
    coalesce(sum(${c('responses')}), 0)::int as responses`;
};

export interface Sums {
  input: number;
  output: number;
  cache_creation: number;
  cache_5m: number;
  cache_1h: number;
  cache_read: number;
  cost: number;
  savings: number;
  responses: number;
}

export const totalTokens = (s: Sums) => s.input + s.output + s.cache_creation + s.cache_read;

export function totalsOf(s: Sums): Totals {
  return {
    inputTokens: s.input,
    outputTokens: s.output,
    cacheCreationTokens: s.cache_creation,
    cacheReadTokens: s.cache_read,
    totalTokens: totalTokens(s),
    totalCost: s.cost,
    cacheCreation5mTokens: s.cache_5m,
    cacheCreation1hTokens: s.cache_1h,
    cacheSavingsUsd: s.savings,
    responses: s.responses,
  };
}

export function addSums(a: Sums, b: Sums): Sums {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cache_creation: a.cache_creation + b.cache_creation,
    cache_5m: a.cache_5m + b.cache_5m,
    cache_1h: a.cache_1h + b.cache_1h,
    cache_read: a.cache_read + b.cache_read,
    cost: a.cost + b.cost,
    savings: a.savings + b.savings,
    responses: a.responses + b.responses,
  };
}

export const zeroSums = (): Sums => ({ input: 0, output: 0, cache_creation: 0, cache_5m: 0, cache_1h: 0, cache_read: 0, cost: 0, savings: 0, responses: 0 });
