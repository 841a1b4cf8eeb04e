import { location, navigate } from '../lib/router.js';
import type { BreakdownBy, Period, UsageQuery } from './api.js';

export type Metric = 'cost' | 'tokens';

/** The page's view as the address keeps it: the reports' query, and how the chart shows them. */
export interface UsageParams extends UsageQuery {
  breakdown: BreakdownBy;
  period: Period;
  metric: Metric;
}

const DEFAULT_DAYS = 30;
const breakdowns: readonly BreakdownBy[] = ['model', 'project', 'host'];
const periods: readonly Period[] = ['daily', 'weekly', 'monthly'];
const metrics: readonly Metric[] = ['cost', 'tokens'];
const day = /^\d{4}-\d{2}-\d{2}$/;

export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const validZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** Today's calendar day in `tz`, YYYY-MM-DD, moved by `plusDays`. */
export function today(tz: string, plusDays = 0, now = new Date()): string {
  const text = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const [y, m, d] = text.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + plusDays)).toISOString().slice(0, 10);
}

const oneOf = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;

/** The view from the query string: what it leaves out is the last 30 days in the browser's zone, by model, cost by day. */
export function readParams(search: string): UsageParams {
  const p = new URLSearchParams(search);
  const text = (name: string) => p.get(name)?.trim() ?? '';
  const tz = text('tz') && validZone(text('tz')) ? text('tz') : browserZone();
  const until = day.test(text('until')) ? text('until') : today(tz);
  const since = day.test(text('since')) ? text('since') : today(tz, 1 - DEFAULT_DAYS);
  return {
    since,
    until,
    tz,
    project: text('project'),
    host: text('host'),
    model: text('model'),
    breakdown: oneOf(p.get('breakdown'), breakdowns, 'model'),
    period: oneOf(p.get('period'), periods, 'daily'),
    metric: oneOf(p.get('metric'), metrics, 'cost'),
  };
}

const keys = ['since', 'until', 'tz', 'project', 'host', 'model', 'breakdown', 'period', 'metric'] as const;

export const sameParams = (a: UsageParams, b: UsageParams): boolean => keys.every((key) => a[key] === b[key]);

/** Changes part of the view in the address (replacing the entry), keeping the rest. */
export function setParams(patch: Partial<UsageParams>): void {
  const params = new URLSearchParams(location().search);
  for (const [name, value] of Object.entries(patch)) {
    if (value) params.set(name, value);
    else params.delete(name);
  }
  const text = params.toString();
  navigate(`${location().path}${text ? `?${text}` : ''}`, { replace: true });
}

/** The reports' query: the chart's own switches are not part of it. */
export const reportQuery = (p: UsageParams): UsageQuery => ({ since: p.since, until: p.until, tz: p.tz, project: p.project, host: p.host, model: p.model });
