import { api, query } from '../lib/http.js';

/** The usage reports as `/api/usage/*` send them (projections/usage/report.ts; ccusage's field names). */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
}

export interface Totals extends TokenCounts {
  totalCost: number;
  cacheCreation5mTokens: number;
  cacheCreation1hTokens: number;
  cacheSavingsUsd: number;
  responses: number;
}

/** One slice of a row by the report's breakdown dimension. */
export interface Breakdown extends TokenCounts {
  name: string;
  cost: number;
}

export type BreakdownBy = 'model' | 'project' | 'host';
export type Period = 'daily' | 'weekly' | 'monthly';

export interface UsageRow extends Totals {
  modelsUsed: string[];
  breakdowns: Breakdown[];
}

/** A period report with its rows' label (`date`, `week` or `month`) put under `period`. */
export interface PeriodReport {
  rows: Array<UsageRow & { period: string }>;
  totals: Totals;
  breakdown: BreakdownBy;
  timezone: string;
}

export interface SessionRow extends Totals {
  sessionId: string;
  projectPath: string;
  project: string;
  host: string;
  title: string | null;
  lastActivity: string;
  lastActivityAt: string;
  modelsUsed: string[];
}

export interface ProjectRow extends Totals {
  project: string;
  sessions: number;
  lastActivityAt: string;
}

export interface Block {
  id: string;
  startTime: string;
  endTime: string;
  actualEndTime: string | null;
  isActive: boolean;
  isGap: boolean;
  entries: number;
  totalTokens: number;
  costUSD: number;
  models: string[];
  burnRate: { tokensPerMinute: number; tokensPerMinuteForIndicator: number; costPerHour: number } | null;
  projection: { totalTokens: number; totalCost: number; remainingMinutes: number } | null;
}

/** What every report is asked under: the page's address, less what only the page uses. */
export interface UsageQuery {
  since: string;
  until: string;
  tz: string;
  project: string;
  host: string;
  model: string;
}

const labelOf: Record<Period, 'date' | 'week' | 'month'> = { daily: 'date', weekly: 'week', monthly: 'month' };

export async function fetchPeriods(period: Period, q: UsageQuery, breakdown: BreakdownBy): Promise<PeriodReport> {
  const body = await api<Record<string, unknown>>(`/api/usage/${period}${query({ ...q, breakdown })}`);
  const rows = (body[period] as Array<UsageRow & Record<string, string>>) ?? [];
  return {
    rows: rows.map((row) => ({ ...row, period: row[labelOf[period]] ?? '' })),
    totals: body.totals as Totals,
    breakdown: body.breakdown as BreakdownBy,
    timezone: body.timezone as string,
  };
}

export const fetchSessions = (q: UsageQuery, limit = 10) =>
  api<{ sessions: SessionRow[] }>(`/api/usage/sessions${query({ ...q, order: 'cost', limit })}`).then((r) => r.sessions);

export const fetchProjects = (q: UsageQuery, limit = 10) =>
  api<{ projects: ProjectRow[] }>(`/api/usage/projects${query({ ...q, limit })}`).then((r) => r.projects);

/** The last blocks (ccusage's `--recent`), under the filters but not the day range: they are about now. */
export const fetchBlocks = (q: UsageQuery) =>
  api<{ blocks: Block[] }>(`/api/usage/blocks${query({ tz: q.tz, project: q.project, host: q.host, model: q.model, recent: 'true' })}`).then((r) => r.blocks);
