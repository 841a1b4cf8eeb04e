import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Sql } from 'postgres';
import { EVENTS_CHANNEL, untilReadable } from '../../core/event-store.js';
import { silentLogger, type Logger } from '../../core/log.js';
import type { DocProjection } from '../projection.js';
import { startControl } from './control.js';
import { ensureProjection, slotsFor, swapIn, type SlotInfo } from './registry.js';
import { createRunner, type Runner } from './runner.js';
import { release, setStatus } from './slots.js';

export interface ProjectorOptions {
  projections: readonly DocProjection<object>[];
  logger?: Logger;
  owner?: string;
  /** The safety poll: correctness never depends on a notification arriving. */
  pollMs?: number;
  batchSize?: number;
  leaseMs?: number;
}

export interface Projector {
  owner: string;
  /**
   * Resolves after a full pass that could read every event committed before this call. The
   * safe read waits for every older transaction of the whole cluster to end (another
   * database's included), so this first waits for that, then for the next pass.
   */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A projector process: one LISTEN connection wakes it on every append (and a catch-up runs
 * on every (re)listen), a slow poll covers lost notifications, and each pass lets every
 * slot this process can own catch up, swap in a finished rebuild and retry parked events.
 */
export async function startProjector(
  sql: Sql,
  { projections, logger = silentLogger, owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`, pollMs = 1000, batchSize = 500, leaseMs = 5000 }: ProjectorOptions,
): Promise<Projector> {
  const control = await startControl(sql, { projections, logger });
  for (const projection of projections) await ensureProjection(sql, projection);
  const byName = new Map(projections.map((p) => [p.name, p]));
  const runners = new Map<string, Runner>();
  let running = true;
  let wakeUp: (() => void) | null = null;
  let dirty = true;
  let passWaiters: Array<() => void> = [];
  const wake = () => {
    dirty = true;
    wakeUp?.();
  };
  const listener = await sql.listen(EVENTS_CHANNEL, wake, wake);
  let failures = 0;

  async function step(slot: SlotInfo): Promise<void> {
    const id = `${slot.name}:${slot.generation}`;
    let runner = runners.get(id);
    if (!runner) {
      runner = createRunner({ sql, projection: byName.get(slot.name)!, slot, owner, logger, batchSize, leaseMs });
      runners.set(id, runner);
    }
    try {
      const result = await runner.catchUp();
      if (!result.owned) return;
      await runner.retryParked();
      if (slot.building && result.atHead && (await swapIn(sql, byName.get(slot.name)!, slot.generation))) {
        logger.info('rebuilt projection swapped in', { projection: slot.name, generation: slot.generation });
      }
    } catch (error) {
      await setStatus(sql, slot, owner, 'retrying', String((error as Error)?.message ?? error)).catch(() => {});
      throw error;
    }
  }

  /** Every slot gets its turn even when another fails; the pass then reports the first failure. */
  async function pass(): Promise<void> {
    const failures: unknown[] = [];
    // Rebuild requests first, so that a generation they start is caught up in this same pass.
    await control.poll().catch((error: unknown) => failures.push(error));
    for (const slot of await slotsFor(sql, projections)) await step(slot).catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  }

  const loop = (async () => {
    while (running) {
      const waiters = passWaiters;
      passWaiters = [];
      dirty = false;
      try {
        await pass();
        failures = 0;
      } catch (error) {
        failures++;
        logger.warn('projector pass failed; retrying', { error: String((error as Error)?.message ?? error), failures });
      }
      for (const resolve of waiters) resolve();
      if (!running) break;
      const pause = failures > 0 ? Math.min(pollMs * 2 ** failures, 30_000) * (0.5 + Math.random() / 2) : pollMs;
      if (!dirty || failures > 0) await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = null;
    }
  })();

  return {
    owner,
    async settled() {
      await untilReadable(sql);
      await new Promise<void>((resolve) => {
        passWaiters.push(resolve);
        wake();
      });
    },
    async stop() {
      running = false;
      wake();
      await loop;
      await listener.unlisten().catch(() => {});
      for (const runner of runners.values()) await release(sql, runner.slot, owner).catch(() => {});
    },
  };
}
