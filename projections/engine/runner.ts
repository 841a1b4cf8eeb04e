import type { Sql, TransactionSql } from 'postgres';
import { checkpointOf, readAfter, type Checkpoint } from '../../core/event-store.js';
import type { StoredEvent } from '../../core/events.js';
import type { Logger } from '../../core/log.js';
import { classifyPgError } from '../../core/pg-errors.js';
import type { DocProjection } from '../projection.js';
import { EvolveError, foldDocs, writeDocs } from './apply.js';
import { createDocCache } from './doc-cache.js';
import { advance, claim, type Slot } from './slots.js';
import { retryRequested } from './parked.js';

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
  // Every commit renews the lease, so while at least half of it is left the last committed
  // checkpoint is known without asking: a pass then costs a read, not an UPDATE and its flush.
  // The compare-and-set in advance() still fences any mistake.
  let held: { checkpoint: Checkpoint; until: number } | null = null;
  const remember = (checkpoint: Checkpoint) => {
    held = { checkpoint, until: Date.now() + leaseMs / 2 };
  };

  const cache = createDocCache();

  async function ownCheckpoint(): Promise<Checkpoint | null> {
    if (held && Date.now() < held.until) return held.checkpoint;
    const known = held?.checkpoint;
    held = null;
    const claimed = await claim(sql, slot, owner, leaseMs);
    if (!claimed) {
      cache.reset();
      return null;
    }
    const { checkpoint, continuous } = claimed;
    const atStart = checkpoint.position === 0;
    const unchanged = continuous && known?.position === checkpoint.position && known.transactionId === checkpoint.transactionId;
    if (!unchanged) cache.reset(atStart);
    remember(checkpoint);
    return checkpoint;
  }

  async function commit(events: readonly StoredEvent[], from: Checkpoint): Promise<Checkpoint> {
    const to = checkpointOf(events.at(-1)!);
    await sql.begin(async (tx) => {
      const folded = await foldDocs(tx, projection, slot.generation, events, cache);
      // Issued together, the statements travel in one round trip (postgres.js pipelines them
      // on the transaction's connection); a failed one still rolls back the whole batch.
      await Promise.all([
        // A projection's commit need not wait for the disk: after a crash the lost tail of
        // batches (documents and checkpoint together) is simply applied again from the log.
        tx`set local synchronous_commit = off`,
        folded && writeDocs(tx, projection.name, slot.generation, folded, cache),
        advance(tx, slot, owner, from, to, leaseMs),
        folded && notifyChange(tx, slot, to, folded.sessions),
      ]);
    }).catch((error: unknown) => {
      cache.reset();
      throw error;
    });
    remember(to);
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
    remember(to);
    logger.warn('projection parked an event', { projection: slot.name, generation: slot.generation, position: event.position, type: event.type, error: reason });
    return to;
  }

  async function applyRange(events: readonly StoredEvent[], from: Checkpoint, counts: { parked: number }): Promise<Checkpoint> {
    try {
      return await commit(events, from);
    } catch (error) {
      if (!isPoison(error)) {
        held = null;
        throw error;
      }
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
    /** Parked events whose retry was asked for, applied beside the runner's own writes. */
    async retryParked(): Promise<number> {
      const resolved = await retryRequested(sql, projection, slot, logger);
      if (resolved > 0) cache.reset();
      return resolved;
    },
    /**
     * Applies batches until the log's snapshot-safe head, or until the lease is someone
     * else's. The next batch is read while the current one is applied: reading is the
     * database's work and folding is ours, so on two cores they overlap.
     */
    async catchUp(): Promise<CatchUp> {
      const result = { owned: false, applied: 0, parked: 0, atHead: false };
      let from = await ownCheckpoint();
      if (!from) return result;
      result.owned = true;
      // Far behind (a rebuild, a long outage), batches grow: fewer, larger writes of the
      // documents many events touch. At the head they stay small, so each commit is prompt.
      let limit = batchSize;
      let next = readAfter(sql, from, limit);
      for (;;) {
        const events = await next;
        if (events.length === 0) return { ...result, atHead: true };
        limit = events.length === limit ? Math.min(limit * 2, batchSize * 4) : batchSize;
        const to = checkpointOf(events.at(-1)!);
        next = readAfter(sql, to, limit);
        // A failed apply must not leave the prefetch as an unhandled rejection.
        next.catch(() => {});
        from = await applyRange(events, from, result);
        result.applied += events.length;
      }
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;
