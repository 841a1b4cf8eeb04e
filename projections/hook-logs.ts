import type { StoredEvent } from '../core/events.js';
import { HOOK_LOG_TYPE } from '../core/hook-log-line.js';
import { HOOK_LOG_SEARCH } from './hook-logs-queries.js';
import type { DocProjection } from './projection.js';
import { asRecord, nonEmptyString, nonNegative } from './stats-json.js';
import { isoOf } from './times.js';

export { listHookLogs, type HookLogPage, type HookLogQuery } from './hook-logs-queries.js';

export const HOOK_LOG_LEVELS = ['info', 'warn', 'error'] as const;
export type HookLogLevel = (typeof HOOK_LOG_LEVELS)[number];

/** One line of a hook's own log, as the log viewer lists it. */
export interface HookLogDoc {
  host: string;
  hookVersion: string | null;
  file: string;
  offset: number;
  /** When the hook wrote the line (the server's receipt time when the line had none). */
  time: string;
  level: HookLogLevel;
  /** The hook event and the envelope the line is about, when it is about one. */
  event: string | null;
  sessionId: string | null;
  requestId: string | null;
  outcome: string | null;
  message: string;
  /** The line as the hook wrote it: parsed, or raw text when it was not a JSON object. */
  line: Record<string, unknown> | null;
  raw: string | null;
  position: number;
}

type Json = Record<string, unknown>;

const text = (value: unknown, max = 500): string | null => {
  const found = nonEmptyString(value);
  return found === null ? null : found.length > max ? `${found.slice(0, max - 1)}…` : found;
};

/**
 * Lines say how it went, not how bad it is: a delivery refused for good is an error, one left
 * in the spool (server down, wrong key) or a config or transcript problem is a warning. A
 * line that names its own level (the log shipper's) keeps it.
 */
export function levelOf(line: Json | null): HookLogLevel {
  if (line === null) return 'warn';
  if (HOOK_LOG_LEVELS.includes(line.level as HookLogLevel)) return line.level as HookLogLevel;
  if (line.outcome === 'dead-letter' || line.spoolError !== undefined) return 'error';
  if (line.outcome === 'spooled' || line.error !== undefined || line.configProblems !== undefined || line.transcriptNotes !== undefined) return 'warn';
  return 'info';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One readable sentence from the line's fields, e.g. `PostToolUse spooled after 3 attempts: connect ECONNREFUSED`. */
export function describeLine(line: Json | null, raw: string | null): string {
  if (line === null) return `unreadable log line: ${text(raw) ?? ''}`;
  const own = text(line.message, 1000);
  if (own !== null) return own;
  const status = nonNegative(line.status);
  const attempts = nonNegative(line.attempts);
  const depth = nonNegative(line.spoolDepth);
  let sentence = `${text(line.event, 128) ?? 'hook'} ${text(line.outcome, 64) ?? 'logged'}`;
  if (status) sentence += ` (HTTP ${status})`;
  if (attempts) sentence += ` after ${plural(attempts, 'attempt')}`;
  if (text(line.error)) sentence += `: ${text(line.error)}`;
  if (text(line.spoolError)) sentence += `; not spooled: ${text(line.spoolError)}`;
  if (depth !== null) sentence += `; ${depth} in the spool`;
  return sentence;
}

export function evolveHookLog(_doc: HookLogDoc | undefined, event: StoredEvent): HookLogDoc {
  // Everything comes from the one event: applying it again gives the same document.
  const payload = asRecord(event.payload);
  const line = payload.line !== undefined ? asRecord(payload.line) : null;
  const raw = line === null ? (text(payload.raw, 4000) ?? '') : null;
  const fields = line ?? {};
  return {
    host: text(payload.host, 255) ?? 'unknown',
    hookVersion: text(payload.hookVersion, 64),
    file: text(payload.file, 4096) ?? 'unknown',
    // An index column (bigint): only a whole number may go there.
    offset: Number.isSafeInteger(payload.offset) && (payload.offset as number) >= 0 ? (payload.offset as number) : 0,
    time: isoOf(event.capturedAt),
    level: levelOf(line),
    event: text(fields.event, 128),
    sessionId: text(fields.sessionId, 256),
    requestId: text(fields.requestId, 128),
    outcome: text(fields.outcome, 64),
    message: describeLine(line, raw),
    line,
    raw,
    position: event.position,
  };
}

export const hookLogsProjection: DocProjection<HookLogDoc> = {
  name: 'hook_logs',
  // 2: an index per level, so `level=error` walks its own lines instead of the whole table.
  version: 2,
  handles: (event) => event.type === HOOK_LOG_TYPE,
  keys: (event) => [event.requestId],
  evolve: evolveHookLog,
  // By host, then time; the offset orders lines written within the same millisecond.
  index: (doc) => ({ sessionId: doc.host, at: doc.time, seq: doc.offset }),
  ddl: (table) => {
    const name = table.slice(table.lastIndexOf('.') + 1);
    return [
      `create index if not exists ${name}_newest on ${table} (at desc, seq desc, key desc)`,
      `create index if not exists ${name}_level on ${table} ((doc->>'level'), at desc, seq desc, key desc)`,
      `create index if not exists ${name}_search on ${table} using gin (${HOOK_LOG_SEARCH})`,
    ];
  },
};
