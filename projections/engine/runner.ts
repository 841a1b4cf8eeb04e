import type { Sql, TransactionSql } from 'postgres';
import { checkpointOf, readAfter, type Checkpoint } from '../../core/event-store.js';
import type { StoredEvent } from '../../core/events.js';
import type { Logger } from '../../core/log.js';
import { classifyPgError } from '../../core/pg-errors.js';
import type { DocProjection } from '../projection.js';
import { applyToDocs, EvolveError } from './apply.js';
import { advance, claim, type Slot } from './slots.js';

/** Channel on which projectors say, after each commit, which projection moved and which sessions changed. */
export const PROJECTIONS_CHANNEL = 'arrakis_projections';
// NOTIFY payloads must stay under 8000 bytes; past this many sessions, say "many" instead.
const MAX_NOTIFY_BYTES = 7000;

export interface RunnerOptions {
  sql: Sql;
  projection: DocProjection<object>;
  slot: Slot;
  owner: string;
  logger: Logger;
  batchSize?: number;
  leaseMs?: number;
}

export interface CatchUp {
  owned: boolean;
  applied: number;
  parked: number;
  atHead: boolean;
}

/** Deterministic failures are poison for this event; anything else stops the batch and is retried. */
const isPoison = (error: unknown) => error instanceof EvolveError || classifyPgError(error) === 'invalid_input';

export async function notifyChange(tx: Sql | TransactionSql, slot: Slot, at: Checkpoint, sessions: Iterable<string> | null): Promise<void> {
  const list = sessions ? [...sessions] : null;
  let payload = JSON.stringify({ p: slot.name, g: slot.generation, pos: at.position, s: list });
  if (payload.length > MAX_NOTIFY_BYTES) payload = JSON.stringify({ p: slot.name, g: slot.generation, pos: at.position, s: null });
  await (tx as Sql)`select pg_notify(${PROJECTIONS_CHANNEL}, ${payload})`;
}

/**
 * Runs one slot: claims its lease, reads snapshot-safe batches and applies each with its
 * checkpoint in one transaction. A batch that fails deterministically is bisected until
 * the poison event is alone; that event is parked, with its error, in the transaction that
 * moves the checkpoint past it, and the projection goes on.
 */
export function createRunner({ sql, projection, slot, owner, logger, batchSize = 500, leaseMs = 5000 }: RunnerOptions) {
  async function commit(events: readonly StoredEvent[], from: Checkpoint): Promise<Checkpoint> {
    const to = checkpointOf(events.at(-1)!);
    await sql.begin(async (tx) => {
      const sessions = await applyToDocs(tx, projection, slot.generation, events);
      await advance(tx, slot, owner, from, to, leaseMs);
      if (sessions) await notifyChange(tx, slot, to, sessions);
    });
    return to;
  }

  async function park(event: StoredEvent, from: Checkpoint, error: unknown): Promise<Checkpoint> {
    const to = checkpointOf(event);
    const reason = String((error as Error)?.message ?? error).slice(0, 4000);
    await sql.begin(async (tx) => {
      await tx`insert into arrakis.projection_parked (name, generation, position, event_type, error)
               values (${slot.name}, ${slot.generation}, ${event.position}, ${event.type}, ${reason})
               on conflict (name, generation, position) do nothing`;
      await advance(tx, slot, owner, from, to, leaseMs);
    });
    logger.warn('projection parked an event', { projection: slot.name, generation: slot.generation, position: event.position, type: event.type, error: reason });
    return to;
  }

  async function applyRange(events: readonly StoredEvent[], from: Checkpoint, counts: { parked: number }): Promise<Checkpoint> {
    try {
      return await commit(events, from);
    } catch (error) {
      if (!isPoison(error)) throw error;
      if (events.length === 1) {
        counts.parked++;
        return park(events[0]!, from, error);
      }
      const middle = events.length >> 1;
      const halfway = await applyRange(events.slice(0, middle), from, counts);
      return applyRange(events.slice(middle), halfway, counts);
    }
  }

  return {
    slot,
    /**
     * Applies batches until the log's snapshot-safe head, or until the lease is someone
     * else's. The next batch is read while the current one is applied: reading is the
     * database's work and folding is ours, so on two cores they overlap.
     */
    async catchUp(): Promise<CatchUp> {
      const result = { owned: false, applied: 0, parked: 0, atHead: false };
      let from = await claim(sql, slot, owner, leaseMs);
      if (!from) return result;
      result.owned = true;
      let next = readAfter(sql, from, batchSize);
      for (;;) {
        const events = await next;
        if (events.length === 0) return { ...result, atHead: true };
        const to = checkpointOf(events.at(-1)!);
        next = readAfter(sql, to, batchSize);
        // A failed apply must not leave the prefetch as an unhandled rejection.
        next.catch(() => {});
        from = await applyRange(events, from, result);
        result.applied += events.length;
      }
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;
