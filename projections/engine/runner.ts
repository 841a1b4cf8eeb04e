import type { Sql } from 'postgres';
import { checkpointOf, type Checkpoint } from '../../core/event-store.js';
import { readAfter } from '../../core/read-after.js';
import type { StoredEvent } from '../../core/events.js';
import type { Logger } from '../../core/log.js';
import type { DocProjection } from '../projection.js';
import { foldDocs, rememberFolded, type Folded } from './apply.js';
import { createCarefulApply, isPoison } from './careful-apply.js';
import { commitBatch } from './commit-batch.js';
import type { Commit } from './commit-group.js';
import { createDocCache } from './doc-cache.js';
import { createHeldLease } from './held-lease.js';
import { createRetryGate } from './parked.js';
import type { ReadEvents } from './shared-read.js';
import { release, type Slot } from './slots.js';

export interface RunnerOptions {
  sql: Sql;
  projection: DocProjection<object>;
  slot: Slot;
  owner: string;
  logger: Logger;
  batchSize?: number;
  leaseMs?: number;
  /** How batches are read; the projector shares one read among its slots. */
  read?: ReadEvents;
  /** How pipelined batches are committed; the projector sends its slots' together (commit-group.ts). */
  group?: Commit;
  /** Asked before each batch: false stops the catch-up there (a partition dealt to another process). */
  keep?: () => boolean;
}

interface InFlight {
  events: readonly StoredEvent[];
  from: Checkpoint;
  /** Resolves to the checkpoint once committed. */
  done: Promise<Checkpoint>;
}

const POISON: unique symbol = Symbol('poison');

export interface CatchUp {
  owned: boolean;
  applied: number;
  parked: number;
  atHead: boolean;
}

/**
 * Runs one slot: claims its lease, reads snapshot-safe batches and applies each with its
 * checkpoint in one transaction, folding the next batch while the current one commits. A
 * batch that fails deterministically goes the careful way (careful-apply.ts): bisected
 * until the poison event is alone, which is parked while the projection goes on.
 */
export function createRunner({ sql, projection, slot, owner, logger, batchSize = 500, leaseMs = 5000, read = (from, limit) => readAfter(sql, from, limit), group = (batch) => commitBatch(sql, batch), keep = () => true }: RunnerOptions) {
  const lease = createHeldLease(sql, slot, owner, leaseMs);
  const cache = createDocCache();
  const retries = createRetryGate(sql, projection, slot, logger);
  let holding = false;

  async function ownCheckpoint(): Promise<Checkpoint | null> {
    const owned = await lease.own();
    holding = owned !== null;
    if (!owned) {
      cache.reset();
      return null;
    }
    if (!owned.unchanged) {
      cache.reset(owned.checkpoint.position === 0);
      retries.missedSome();
    }
    return owned.checkpoint;
  }

  function landed(events: readonly StoredEvent[], to: Checkpoint): Checkpoint {
    retries.landed(events);
    lease.remember(to);
    return to;
  }

  /**
   * A batch's commit sent without waiting for it, its documents remembered before they are
   * written, so that the next batch can be folded while Postgres writes this one.
   */
  function launch(events: readonly StoredEvent[], from: Checkpoint, folded: Folded | null): InFlight {
    rememberFolded(cache, folded);
    const to = checkpointOf(events.at(-1)!);
    const done = group({ slot, owner, from, to, leaseMs, folded }).then(() => landed(events, to));
    done.catch(() => {});
    return { events, from, done };
  }

  /**
   * Waits for a launched commit. A failed one leaves the cache holding what was never
   * written, so it is reset; a deterministic failure is then applied again batch by batch
   * (bisected and parked). Null when the launched commit had to be redone.
   */
  async function land(flight: InFlight, counts: { parked: number }): Promise<{ at: Checkpoint; redone: boolean }> {
    try {
      return { at: await flight.done, redone: false };
    } catch (error) {
      cache.reset();
      if (!isPoison(error)) {
        lease.forget();
        throw error;
      }
      return { at: await applyRange(flight.events, flight.from, counts), redone: true };
    }
  }

  const applyRange = createCarefulApply({
    sql, projection, slot, owner, leaseMs, logger, cache, landed,
    doubt: lease.forget,
  });

  return {
    slot,
    /** Hands the lease back, if this runner took it, so that another process claims the slot at once. */
    async relinquish(): Promise<void> {
      if (!holding) return;
      holding = false;
      lease.forget();
      cache.reset();
      await release(sql, slot, owner);
    },
    /** Parked events whose retry was asked for, applied beside the runner's own writes. */
    async retryParked(): Promise<number> {
      const resolved = await retries.run();
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
      let next: Promise<readonly StoredEvent[]> = read(from, limit);
      let flight: InFlight | null = null;
      try {
        for (;;) {
          const events = await next;
          if (events.length > 0 && !keep()) {
            const launched = flight;
            flight = null;
            if (launched) await land(launched, result);
            return result;
          }
          if (events.length === 0) {
            const launched = flight;
            flight = null;
            if (launched) await land(launched, result);
            return { ...result, atHead: true };
          }
          // A short read reached the head of its snapshot: asking again at once would find
          // nothing, and what commits later wakes the projector anew.
          const full = events.length === limit;
          limit = full ? Math.min(limit * 2, batchSize * 4) : batchSize;
          next = full ? read(checkpointOf(events.at(-1)!), limit) : Promise.resolve([]);
          // A failed apply must not leave the prefetch as an unhandled rejection.
          next.catch(() => {});
          const waitForFlight = () => flight?.done;
          const folded = await foldDocs(sql, projection, slot.generation, events, cache, waitForFlight).catch((error: unknown): typeof POISON => {
            if (isPoison(error)) return POISON;
            throw error;
          });
          const launched = flight;
          flight = null;
          const previous = launched ? await land(launched, result) : null;
          if (previous) from = previous.at;
          // Folded on documents that were not written, or poison: this batch goes the careful way.
          if (folded === POISON || previous?.redone) from = await applyRange(events, from, result);
          else flight = launch(events, from, folded);
          result.applied += events.length;
        }
      } finally {
        // An early exit still waits for the write in flight, so the cache never outlives a failed one.
        if (flight) await land(flight, result).catch(() => {});
      }
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;
