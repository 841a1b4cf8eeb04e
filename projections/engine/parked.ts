import type { Sql } from 'postgres';
import { adminEvent, RETRY_REQUESTED, type Actor, type AdminEventOptions } from '../../core/admin-events.js';
import { appendEvents, readAt } from '../../core/event-store.js';
import type { StoredEvent } from '../../core/events.js';
import type { Logger } from '../../core/log.js';
import type { DocProjection } from '../projection.js';
import { applyToDocs } from './apply.js';
import { partitionOfSlot, type Slot } from './slots.js';

export interface ParkedEvent {
  id: number;
  position: number;
  eventType: string;
  error: string;
  parkedAt: string;
  /** Set while a retry waits for the projector; cleared when the retry failed again. */
  retryRequestedAt: string | null;
}

/**
 * The unresolved parked events of a projection's serving generation, oldest position first,
 * at most `limit` (so a projection that parks everything cannot make one answer huge).
 * Null when no projector registered the projection.
 */
export async function listParked(sql: Sql, name: string, limit = 500): Promise<ParkedEvent[] | null> {
  const [projection] = await sql<{ active_generation: number }[]>`select active_generation from arrakis.projections where name = ${name}`;
  if (!projection) return null;
  const rows = await sql<{ id: number; position: number; event_type: string; error: string; parked_at: Date; retry_requested_at: Date | null }[]>`
    select id, position, event_type, error, parked_at, retry_requested_at from arrakis.projection_parked
     where name = ${name} and generation = ${projection.active_generation} and resolved_at is null
     order by position limit ${limit}`;
  return rows.map((r) => ({
    id: r.id,
    position: r.position,
    eventType: r.event_type,
    error: r.error,
    parkedAt: r.parked_at.toISOString(),
    retryRequestedAt: r.retry_requested_at?.toISOString() ?? null,
  }));
}

/**
 * Marks a parked event for another try and records the request in the log, in one
 * transaction: neither exists without the other, and the projector owning the slot learns
 * of it by reading the event. Answers the request's log position, or null when there is no
 * such unresolved event.
 */
export async function requestRetry(sql: Sql, name: string, id: number, actor: Actor, options: AdminEventOptions = {}): Promise<{ position: number } | null> {
  return sql.begin(async (tx) => {
    const [parked] = await tx<{ position: number }[]>`
      update arrakis.projection_parked set retry_requested_at = now()
       where name = ${name} and id = ${id} and resolved_at is null returning position`;
    if (!parked) return null;
    const event = adminEvent(RETRY_REQUESTED, { projection: name, parkedId: id, position: parked.position, ...actor }, options);
    const [outcome] = await appendEvents(tx, [event], (options.clock ?? (() => new Date()))());
    return { position: outcome!.position };
  }) as Promise<{ position: number } | null>;
}

/**
 * Applies the parked events whose retry was requested, with the code running now. Each is
 * applied on its own; one that still fails keeps its place with the new error.
 */
export async function retryRequested(sql: Sql, projection: DocProjection<object>, slot: Slot, logger: Logger): Promise<number> {
  const requested = await sql<{ id: number; position: number }[]>`
    select id, position from arrakis.projection_parked
     where name = ${slot.name} and generation = ${slot.generation} and partition = ${partitionOfSlot(slot)}
       and retry_requested_at is not null and resolved_at is null order by position`;
  let resolved = 0;
  for (const { id, position } of requested) {
    try {
      await sql.begin(async (tx) => {
        const event = await readAt(tx, position);
        if (event) await applyToDocs(tx, projection, slot.generation, [event]);
        await tx`update arrakis.projection_parked set resolved_at = now() where id = ${id}`;
      });
      resolved++;
      logger.info('parked event applied on retry', { projection: slot.name, position });
    } catch (error) {
      const reason = String((error as Error)?.message ?? error).slice(0, 4000);
      await sql`update arrakis.projection_parked set retry_requested_at = null, error = ${reason} where id = ${id}`;
      logger.warn('parked event failed again', { projection: slot.name, position, error: reason });
    }
  }
  return resolved;
}

/**
 * When a runner asks the parked table for requested retries. Requests reach the runner
 * through the log, as arrakis.retry_requested events, so the table is asked only when one
 * was read, or when the runner (re)took its slot and may have missed one.
 */
export function createRetryGate(sql: Sql, projection: DocProjection<object>, slot: Slot, logger: Logger) {
  let due = true;
  const asks = (event: StoredEvent) =>
    event.type === RETRY_REQUESTED && (event.payload as { projection?: unknown } | null)?.projection === slot.name;
  return {
    /** The runner may have missed requests (its slot changed hands or position). */
    missedSome(): void {
      due = true;
    },
    landed(events: readonly StoredEvent[]): void {
      if (events.some(asks)) due = true;
    },
    /** Applies the requested retries if any may be waiting: the number resolved. */
    async run(): Promise<number> {
      if (!due) return 0;
      due = false;
      return retryRequested(sql, projection, slot, logger).catch((error: unknown) => {
        due = true;
        throw error;
      });
    },
  };
}
