import type { Sql } from 'postgres';
import type { Logger } from '../../core/log.js';
import type { DocProjection } from '../projection.js';
import type { Commit } from './commit-group.js';
import { indexAhead } from './index-ahead.js';
import { createLane, type Lane } from './lane.js';
import { partitionView } from './partitions.js';
import { swapIn, type SlotInfo } from './registry.js';
import { createRunner, type Runner } from './runner.js';
import type { ReadEvents } from './shared-read.js';
import { release, setStatus } from './slots.js';

export interface SlotLanesOptions {
  sql: Sql;
  projections: readonly DocProjection<object>[];
  owner: string;
  logger: Logger;
  batchSize: number;
  leaseMs: number;
  read: ReadEvents;
  group: Commit;
  backoff: (failures: number) => number;
  /** A finished rebuild swapped in: which slots exist has changed. */
  onSwap: () => void;
  /** Whether this process should hold the slot now (partition-share.ts); a slot it should not is handed back. */
  mine?: (slot: SlotInfo) => boolean;
}

export const slotId = (slot: SlotInfo) => `${slot.name}:${slot.generation}${slot.partitions > 1 ? `#${slot.partition}` : ''}`;

/**
 * A lane for each slot (a projection's generation, or one partition of it) the process may own. A run catches the
 * slot up, retries its parked events once asked, and swaps in a finished rebuild; a failed
 * run is marked on the slot and retried with backoff. Each slot has a lane of its own, so a
 * slow or failing one never holds back the others.
 */
export function createSlotLanes({ sql, projections, owner, logger, batchSize, leaseMs, read, group, backoff, onSwap, mine = () => true }: SlotLanesOptions) {
  const byName = new Map(projections.map((p) => [p.name, p]));
  const runners = new Map<string, Runner>();
  const lanes = new Map<string, Lane>();

  // The latest word on each slot: a lane outlives what its slot was when it started (a rebuild swaps in, and is
  // no longer building), and a lane reading its first SlotInfo asked to swap in again on every pass, for ever.
  const current = new Map<string, SlotInfo>();

  async function step(id: string, runner: Runner): Promise<void> {
    const slot = current.get(id)!;
    try {
      // A partition dealt to another process: handed back, so it claims it without waiting for the lease to lapse.
      if (!mine(slot)) return await runner.relinquish();
      const result = await runner.catchUp();
      if (!result.owned) return;
      await runner.retryParked();
      // A partitioned rebuild swaps in once every partition is within a batch of the head (registry.ts).
      const tolerance = slot.partitions > 1 ? batchSize : 0;
      if (!slot.building || !result.atHead) return;
      const projection = byName.get(slot.name)!;
      // Indexed outside the registry lock (index-ahead.ts); what arrived meanwhile is folded before the swap.
      const indexing = performance.now();
      if (await indexAhead(sql, projection, slot.generation, { tolerance })) {
        const indexedMs = Math.round(performance.now() - indexing);
        logger.info('rebuilt projection indexed', { projection: slot.name, generation: slot.generation, partition: slot.partition, indexedMs });
        const after = await runner.catchUp();
        if (!after.owned || !after.atHead) return;
      }
      if (await swapIn(sql, projection, slot.generation, { tolerance })) {
        onSwap();
        logger.info('rebuilt projection swapped in', { projection: slot.name, generation: slot.generation, partitions: slot.partitions });
      }
    } catch (error) {
      await setStatus(sql, slot, owner, 'retrying', String((error as Error)?.message ?? error)).catch(() => {});
      throw error;
    }
  }

  function laneOf(slot: SlotInfo): Lane {
    const id = slotId(slot);
    current.set(id, slot);
    let lane = lanes.get(id);
    if (!lane) {
      // A partition's runner sees only its sessions' events; its checkpoint still moves over every event.
      const projection = partitionView(byName.get(slot.name)!, slot.partition, slot.partitions);
      // Its read brings its own sessions' payloads only (partition-read.ts).
      const part = { partition: slot.partition, partitions: slot.partitions };
      const slotRead: ReadEvents = slot.partitions > 1 ? (from, limit) => read(from, limit, part) : read;
      const runner = createRunner({ sql, projection, slot, owner, logger, batchSize, leaseMs, read: slotRead, group, keep: () => mine(slot) });
      runners.set(id, runner);
      lane = createLane(() => step(id, runner), {
        backoff,
        onError: (error, failures) => logger.warn('projection failed; retrying', { projection: slot.name, generation: slot.generation, partition: slot.partition, error: String((error as Error)?.message ?? error), failures }),
      });
      lanes.set(id, lane);
    }
    return lane;
  }

  return {
    /** Runs the slot's lane (at once when `now`, else once its backoff allows); resolves when that run ended. */
    kick: (slot: SlotInfo, options: { now: boolean }) => laneOf(slot).kick(options),
    /** Waits for the runs in progress, then hands every lease back so another process takes over at once. */
    async close(): Promise<void> {
      await Promise.all([...lanes.values()].map((lane) => lane.close()));
      for (const runner of runners.values()) await release(sql, runner.slot, owner).catch(() => {});
    },
  };
}
