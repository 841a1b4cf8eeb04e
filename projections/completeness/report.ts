/** One unmet expectation, classified. */
export interface Gap {
  kind: 'tool' | 'prompt' | 'range' | 'session' | 'turn' | 'agent';
  /** What is missing, in words (e.g. "PostToolUse of Bash toolu_01…"). */
  missing: string;
  at: string | null;
  /** true: a known reason explains it (hook not installed then, type not registered, …); false: unexplained. */
  expected: boolean;
  reason: string;
  /** Log positions next to it, for a link to the log around it. */
  positions: number[];
  /** Byte range of a missing transcript range. */
  range?: { file: string; path: string; from: number; to: number };
}

export interface SessionCompleteness {
  sessionId: string;
  host: string | null;
  /** Events expected (less those a known reason explains) and present. */
  expected: number;
  present: number;
  /** present / expected; 1 when nothing is expected. */
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
  /** Sessions with unexplained gaps, most first (at most 100). */
  sessionsWithGaps: Array<{ sessionId: string; host: string | null; unexplained: number; explained: number; rate: number }>;
}
