import type { MiddlewareHandler } from 'hono';
import { capturedEvents } from '../cli/hook-settings.js';
import { TRANSCRIPT_TYPE_PREFIX, type AppendOutcome, type NewEvent } from '../core/events.js';
import type { AppEnv } from './env.js';
import type { Metrics } from './metrics.js';

/**
 * Ingest accepts any event name and any transcript line type, and each label value is a
 * series Prometheus keeps forever, so only these known names get a label of their own.
 */
const hookTypes = new Set<string>(capturedEvents);
const lineTypes = new Set(['user', 'assistant', 'system', 'summary', 'attachment', 'progress', 'file-history-snapshot', 'queue-operation', 'unparsed']);

export function eventTypeLabel(type: string): string {
  if (type.startsWith(TRANSCRIPT_TYPE_PREFIX)) {
    return lineTypes.has(type.slice(TRANSCRIPT_TYPE_PREFIX.length)) ? type : `${TRANSCRIPT_TYPE_PREFIX}other`;
  }
  return hookTypes.has(type) ? type : 'other';
}

/** Per event of one request: the hook event and each transcript line. */
export function countAppended(metrics: Metrics, events: readonly NewEvent[], outcomes: readonly AppendOutcome[]): void {
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'stored') metrics.eventsAppended.inc({ type: eventTypeLabel(events[i]!.type) });
    else if (outcome.status === 'duplicate') metrics.duplicates.inc();
    else metrics.conflicts.inc();
  });
}

type DeliveryOutcome = 'stored' | 'duplicate' | 'conflict' | 'rejected';

// The contract's ingest answers: 201 stored, 200 duplicate, 409 conflict; anything else refused it.
const outcomeOf = (status: number): DeliveryOutcome =>
  status === 201 ? 'stored' : status === 200 ? 'duplicate' : status === 409 ? 'conflict' : 'rejected';

/**
 * Counts each ingest request by its final status. Hono maps a thrown error to its answer
 * (server/on-error.ts) before this middleware's `next()` returns, so refusals by auth, body
 * reading or the database are counted with the status the client saw. The route puts the
 * client's attempt into the request's log fields once the envelope is parsed.
 */
export function countIngest(metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let status = 500;
    try {
      await next();
      status = c.res.status;
    } finally {
      const fields = c.get('logFields');
      // A batch counts each of its envelopes (countDelivery in the route); the request itself only when refused whole.
      if (fields?.batch !== true || status >= 400) countDelivery(metrics, status, fields?.attempt);
    }
  };
}

/** One envelope's delivery, by the status `POST /api/claude-hooks` answered (or would have, alone). */
export function countDelivery(metrics: Metrics, status: number, attempt: unknown): void {
  metrics.hookDeliveries.inc({ outcome: outcomeOf(status), attempt: typeof attempt === 'number' && attempt > 1 ? 'retry' : 'first' });
  if (status >= 400) {
    metrics.ingestRejected.inc({ status: String(status) });
    metrics.ingestRejectedPerMinute.add();
  }
}
