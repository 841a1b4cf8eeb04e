import type { Sql } from 'postgres';
import { checkpointOf, type Checkpoint } from '../../core/event-store.js';
import type { StoredEvent } from '../../core/events.js';
import type { Logger } from '../../core/log.js';
import { classifyPgError } from '../../core/pg-errors.js';
import type { DocProjection } from '../projection.js';
import { EvolveError, foldDocs, rememberFolded } from './apply.js';
import { commitBatch } from './commit-batch.js';
import type { DocCache } from './doc-cache.js';
import { advance, partitionOfSlot, type Slot } from './slots.js';

/** Deterministic failures are poison for this event; anything else stops the batch and is retried. */
export const isPoison = (error: unknown) => error instanceof EvolveError || classifyPgError(error) === 'invalid_input';

export interface CarefulContext {
  sql: Sql;
  projection: DocProjection<object>;
  slot: Slot;
  owner: string;
  leaseMs: number;
  logger: Logger;
  cache: DocCache;
  /** The runner's bookkeeping once a batch committed; answers the checkpoint it reached. */
  landed(events: readonly StoredEvent[], to: Checkpoint): Checkpoint;
  /** A failure that is not the batch's fault: the lease may be lost, and must be claimed again. */
  doubt(): void;
}

export type ApplyRange = (events: readonly StoredEvent[], from: Checkpoint, counts: { parked: number }) => Promise<Checkpoint>;

/**
 * The careful way through a batch, taken when the pipelined one failed or folding threw:
 * fold and commit the batch on its own, and when it fails deterministically bisect it until
 * the poison event is alone; that event is parked, with its error, in the transaction that
 * moves the checkpoint past it, and the projection goes on.
 */
export function createCarefulApply({ sql, projection, slot, owner, leaseMs, logger, cache, landed, doubt }: CarefulContext): ApplyRange {
  async function commit(events: readonly StoredEvent[], from: Checkpoint): Promise<Checkpoint> {
    const to = checkpointOf(events.at(-1)!);
    try {
      // Read outside the commit: the lease makes the documents ours, and commitBatch's
      // compare-and-set refuses the write if it was lost meanwhile.
      const folded = await foldDocs(sql, projection, slot.generation, events, cache);
      await commitBatch(sql, { slot, owner, from, to, leaseMs, folded });
      rememberFolded(cache, folded);
    } catch (error) {
      cache.reset();
      throw error;
    }
    return landed(events, to);
  }

  async function park(event: StoredEvent, from: Checkpoint, error: unknown): Promise<Checkpoint> {
    const to = checkpointOf(event);
    const reason = String((error as Error)?.message ?? error).slice(0, 4000);
    await sql.begin(async (tx) => {
      await tx`insert into arrakis.projection_parked (name, generation, partition, position, event_type, error)
               values (${slot.name}, ${slot.generation}, ${partitionOfSlot(slot)}, ${event.position}, ${event.type}, ${reason})
               on conflict (name, generation, position) do nothing`;
      await advance(tx, slot, owner, from, to, leaseMs);
    });
    logger.warn('projection parked an event', { projection: slot.name, generation: slot.generation, position: event.position, type: event.type, error: reason });
    return landed([event], to);
  }

  const applyRange: ApplyRange = async (events, from, counts) => {
    try {
      return await commit(events, from);
    } catch (error) {
      if (!isPoison(error)) {
        doubt();
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
  };
  return applyRange;
}
