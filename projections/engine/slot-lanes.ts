import type { Sql } from 'postgres';
import type { Logger } from '../../core/log.js';
import type { DocProjection } from '../projection.js';
import type { Commit } from './commit-group.js';
import { createLane, type Lane } from './lane.js';
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
}

export const slotId = (slot: SlotInfo) => `${slot.name}:${slot.generation}`;

/**
 * A lane for each slot (a projection's generation) the process may own. A run catches the
 * slot up, retries its parked events once asked, and swaps in a finished rebuild; a failed
 * run is marked on the slot and retried with backoff. Each slot has a lane of its own, so a
 * slow or failing one never holds back the others.
 */
export function createSlotLanes({ sql, projections, owner, logger, batchSize, leaseMs, read, group, backoff, onSwap }: SlotLanesOptions) {
  const byName = new Map(projections.map((p) => [p.name, p]));
  const runners = new Map<string, Runner>();
  const lanes = new Map<string, Lane>();

  async function step(slot: SlotInfo, runner: Runner): Promise<void> {
    try {
      const result = await runner.catchUp();
      if (!result.owned) return;
      await runner.retryParked();
      if (slot.building && result.atHead && (await swapIn(sql, byName.get(slot.name)!, slot.generation))) {
        onSwap();
        logger.info('rebuilt projection swapped in', { projection: slot.name, generation: slot.generation });
      }
    } catch (error) {
      await setStatus(sql, slot, owner, 'retrying', String((error as Error)?.message ?? error)).catch(() => {});
      throw error;
    }
  }

  function laneOf(slot: SlotInfo): Lane {
    const id = slotId(slot);
    let lane = lanes.get(id);
    if (!lane) {
      const runner = createRunner({ sql, projection: byName.get(slot.name)!, slot, owner, logger, batchSize, leaseMs, read, group });
      runners.set(id, runner);
      lane = createLane(() => step(slot, runner), {
        backoff,
        onError: (error, failures) => logger.warn('projection failed; retrying', { projection: slot.name, generation: slot.generation, error: String((error as Error)?.message ?? error), failures }),
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
