import { api } from '../lib/http.js';

/** One unmet expectation, as projections/completeness/report.ts words it. */
export interface Gap {
  kind: 'tool' | 'prompt' | 'range' | 'session' | 'turn' | 'agent';
  missing: string;
  at: string | null;
  /** true: a known reason explains it; false: unexplained. */
  expected: boolean;
  reason: string;
  /** Log positions next to it. */
  positions: number[];
  range?: { file: string; path: string; from: number; to: number };
}

export interface SessionCompleteness {
  sessionId: string;
  host: string | null;
  expected: number;
  present: number;
  rate: number;
  unexplained: number;
  explained: number;
  gaps: Gap[];
  hooks: { types: Record<string, number>; retried: number; maxAttempt: number; late: number; maxDelayMs: number };
}

export interface CompletenessSummary {
  expected: number;
  present: number;
  rate: number;
  sessions: number;
  unexplained: number;
  explained: number;
  byHost: Array<{ host: string; expected: number; present: number; rate: number; unexplained: number }>;
  sessionsWithGaps: Array<{ sessionId: string; host: string | null; unexplained: number; explained: number; rate: number }>;
}

export const fetchCompleteness = () => api<CompletenessSummary>('/api/completeness');

export const fetchSessionCompleteness = (sessionId: string) => api<SessionCompleteness>(`/api/conversations/${encodeURIComponent(sessionId)}/completeness`);

/** "99.95%": rounded down, so that anything short of whole never reads 100%. */
export function percent(rate: number): string {
  if (rate >= 1) return '100%';
  return `${(Math.floor(Math.max(0, rate) * 10_000) / 100).toFixed(2)}%`;
}

/** "1 gap", "3 gaps". */
export const gaps = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'gap' : 'gaps'}`;

/** The log around a gap: the events next to it, or else the session's whole log. */
export const gapLogHref = (gap: Gap, sessionId: string) =>
  gap.positions.length > 0 ? `/events?positions=${gap.positions.join(',')}` : `/events?sessionId=${encodeURIComponent(sessionId)}`;

export const conversationHref = (sessionId: string) => `/conversations/${encodeURIComponent(sessionId)}`;
