import type { Sql } from '../core/db.js';
import { TRANSCRIPT_TYPE_PREFIX, type StoredEvent } from '../core/events.js';
import type { DocProjection } from './projection.js';
import { nonEmptyString, nonNegative } from './stats-json.js';
import { isoOf } from './times.js';

/** Past this, an event sat in the hook's spool (server down, laptop asleep) rather than in flight. */
export const LATE_AFTER_MS = 60_000;

/** One client host's hook: is it delivering, how often does it retry, how old is what it spooled. */
export interface HookHealthDoc {
  host: string;
  firstSeen: string;
  lastSeen: string;
  events: number;
  hookVersion: string | null;
  /** capturedAt of the event hookVersion came from: a spool flushed late carries an older hook's version. */
  hookVersionAt: string | null;
  /** Deliveries that needed more than one attempt. */
  retries: number;
  /** Sum of the attempts the hook reported. */
  attempts: number;
  late: { count: number; maxLagMs: number };
}

const hostOf = (event: StoredEvent): string => nonEmptyString(event.client?.host) ?? 'unknown';

const later = (a: string, b: string): string => (a > b ? a : b);
const earlier = (a: string, b: string): string => (a < b ? a : b);

export function evolveHookHealth(doc: HookHealthDoc | undefined, event: StoredEvent, host: string): HookHealthDoc {
  const receivedAt = isoOf(event.receivedAt);
  const capturedAt = isoOf(event.capturedAt);
  const before: HookHealthDoc = doc ?? {
    host,
    firstSeen: receivedAt,
    lastSeen: receivedAt,
    events: 0,
    hookVersion: null,
    hookVersionAt: null,
    retries: 0,
    attempts: 0,
    late: { count: 0, maxLagMs: 0 },
  };
  const version = nonEmptyString(event.client?.hookVersion);
  const newerVersion = version !== null && (before.hookVersionAt === null || capturedAt >= before.hookVersionAt);
  const attempt = nonNegative(event.client?.attempt) ?? 0;
  const lagMs = event.receivedAt.getTime() - event.capturedAt.getTime();
  return {
    ...before,
    firstSeen: earlier(before.firstSeen, receivedAt),
    lastSeen: later(before.lastSeen, receivedAt),
    events: before.events + 1,
    ...(newerVersion ? { hookVersion: version, hookVersionAt: capturedAt } : {}),
    retries: before.retries + (attempt > 1 ? 1 : 0),
    attempts: before.attempts + attempt,
    late: lagMs > LATE_AFTER_MS ? { count: before.late.count + 1, maxLagMs: Math.max(before.late.maxLagMs, lagMs) } : before.late,
  };
}

export const hookHealthProjection: DocProjection<HookHealthDoc> = {
  name: 'hook_health',
  version: 1,
  // Only hook events carry a client block: the transcript lines shipped with one are not deliveries of their own.
  handles: (event) => !event.type.startsWith(TRANSCRIPT_TYPE_PREFIX) && event.client !== null && typeof event.client === 'object',
  keys: (event) => [hostOf(event)],
  evolve: evolveHookHealth,
  index: (doc) => ({ at: doc.lastSeen }),
};

export interface HookHealth {
  host: string;
  firstSeen: string;
  lastSeen: string;
  events: number;
  hookVersion: string | null;
  retries: number;
  attempts: number;
  /** Events that reached the server more than LATE_AFTER_MS after capture, and the oldest spool age among them. */
  lateArrivals: { count: number; maxLagMs: number };
}

/** Every host, most recently heard from first. */
export async function listHookHealth(sql: Sql): Promise<HookHealth[]> {
  const rows = await sql<{ doc: HookHealthDoc }[]>`select doc from arrakis.proj_hook_health order by at desc, key`;
  return rows.map(({ doc }) => ({
    host: doc.host,
    firstSeen: doc.firstSeen,
    lastSeen: doc.lastSeen,
    events: doc.events,
    hookVersion: doc.hookVersion,
    retries: doc.retries,
    attempts: doc.attempts,
    lateArrivals: doc.late,
  }));
}
