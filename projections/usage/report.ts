/**
 * The usage reports' shapes. Field names are ccusage 18's JSON (`ccusage daily --json` and
 * the rest), so a script written for ccusage reads Arrakis' by changing the command; what
 * Arrakis adds has names of its own beside them.
 */

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
}

/** Beside ccusage's fields: the cache writes by lifetime, what cache reads saved, responses counted. */
export interface UsageExtras {
  cacheCreation5mTokens: number;
  cacheCreation1hTokens: number;
  cacheSavingsUsd: number;
  responses: number;
}

export interface ModelBreakdown extends Omit<TokenCounts, 'totalTokens'> {
  modelName: string;
  cost: number;
}

/** One slice of a row by the report's `breakdown` dimension (model, project or host). */
export interface Breakdown extends TokenCounts {
  name: string;
  cost: number;
}

export interface UsageRow extends TokenCounts, UsageExtras {
  totalCost: number;
  modelsUsed: string[];
  modelBreakdowns: ModelBreakdown[];
  breakdowns: Breakdown[];
}

export type Totals = TokenCounts & UsageExtras & { totalCost: number };

export type BreakdownBy = 'model' | 'project' | 'host';

export interface DailyReport { daily: Array<UsageRow & { date: string }>; totals: Totals; breakdown: BreakdownBy; timezone: string }
export interface WeeklyReport { weekly: Array<UsageRow & { week: string }>; totals: Totals; breakdown: BreakdownBy; timezone: string }
export interface MonthlyReport { monthly: Array<UsageRow & { month: string }>; totals: Totals; breakdown: BreakdownBy; timezone: string }

export interface SessionRow extends TokenCounts, UsageExtras {
  sessionId: string;
  /** The session's working directory (ccusage: its transcript folder). */
  projectPath: string;
  project: string;
  host: string;
  title: string | null;
  totalCost: number;
  /** YYYY-MM-DD in the report's time zone. */
  lastActivity: string;
  lastActivityAt: string;
  modelsUsed: string[];
  modelBreakdowns: ModelBreakdown[];
}
export interface SessionReport { sessions: SessionRow[]; totals: Totals; timezone: string }

export interface ProjectRow extends TokenCounts, UsageExtras {
  project: string;
  totalCost: number;
  sessions: number;
  lastActivityAt: string;
}
export interface ProjectReport { projects: ProjectRow[]; totals: Totals; timezone: string }

/** ccusage's session block: 5 hours from the hour of its first response; a gap of 5 hours starts another. */
export interface Block {
  id: string;
  startTime: string;
  endTime: string;
  actualEndTime: string | null;
  isActive: boolean;
  isGap: boolean;
  entries: number;
  tokenCounts: { inputTokens: number; outputTokens: number; cacheCreationInputTokens: number; cacheReadInputTokens: number };
  totalTokens: number;
  costUSD: number;
  models: string[];
  burnRate: { tokensPerMinute: number; tokensPerMinuteForIndicator: number; costPerHour: number } | null;
  projection: { totalTokens: number; totalCost: number; remainingMinutes: number } | null;
}
export interface BlockReport { blocks: Block[]; timezone: string }

/** What `arrakis statusline` prints, in one request. */
export interface StatuslineReport {
  session: { sessionId: string; costUsd: number } | null;
  today: { date: string; costUsd: number };
  block: { costUsd: number; endTime: string; remainingMinutes: number; burnRate: Block['burnRate'] } | null;
}

export interface UsageFilter {
  /** Inclusive days, YYYY-MM-DD, in `tz`. */
  since?: string;
  until?: string;
  /** IANA zone the days are counted in; UTC when absent. */
  tz?: string;
  project?: string;
  host?: string;
  model?: string;
}
