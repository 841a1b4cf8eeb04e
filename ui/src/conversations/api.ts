import { api, query } from '../lib/http.js';

export type ConversationStatus = 'active' | 'waiting' | 'ended';

/** A conversation as `GET /api/conversations` and the live stream's `conversation` send it. */
export interface ConversationSummary {
  sessionId: string;
  title: string | null;
  cwd: string | null;
  project: string | null;
  gitBranch: string | null;
  model: string | null;
  hosts?: string[];
  status: ConversationStatus;
  startedAt: string | null;
  lastActivityAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  promptCount: number;
  messageCount: number;
  toolUseCount: number;
  toolFailureCount: number;
  subagentCount: number;
  compactions: number;
  /** What its responses cost, summed over models; 0 when none (absent from an older server). */
  costUsd?: number;
}

export interface ConversationPage {
  items: ConversationSummary[];
  nextCursor: string | null;
}

/** The list's filters as the address bar keeps them; dates are local calendar days (YYYY-MM-DD). */
export interface Filters {
  q: string;
  project: string;
  host: string;
  status: string;
  from: string;
  to: string;
  /** '' for newest activity first, 'cost' for the most expensive first. */
  sort: string;
}

const localMidnight = (day: string, plusDays = 0): Date | null => {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return null;
  const date = new Date(y, m - 1, d + plusDays);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** The instants a day range covers here: from the first day's midnight to the midnight after the last. */
export function dayRange(filters: Pick<Filters, 'from' | 'to'>): { from: Date | null; to: Date | null } {
  return { from: filters.from ? localMidnight(filters.from) : null, to: filters.to ? localMidnight(filters.to, 1) : null };
}

export function fetchConversations(filters: Filters, cursor: string | null, limit = 50): Promise<ConversationPage> {
  const { from, to } = dayRange(filters);
  const params = { limit, cursor, q: filters.q, project: filters.project, host: filters.host, status: filters.status, from: from?.toISOString(), to: to?.toISOString(), sort: filters.sort };
  return api<ConversationPage>(`/api/conversations${query(params)}`);
}
