import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Sql } from 'postgres';
import { REBUILD_REQUESTED } from '../../core/admin-events.js';
import { EVENTS_CHANNEL, untilReadable } from '../../core/event-store.js';
import { silentLogger, type Logger } from '../../core/log.js';
import type { DocProjection } from '../projection.js';
import { startControl } from './control.js';
import { ensureProjection, slotsFor, type SlotInfo } from './registry.js';
import { createCommitGroup } from './commit-group.js';
import { createHeldRecheck } from './held-recheck.js';
import { createSharedReader, type ReadEvents } from './shared-read.js';
import { createSlotLanes, slotId } from './slot-lanes.js';
import { assertPartitionable, partitionsOf } from './partitions.js';
import { createPartitionShare } from './partition-share.js';

export interface ProjectorOptions {
  projections: readonly DocProjection<object>[];
  logger?: Logger;
  owner?: string;
  /** The safety poll: correctness never depends on a notification arriving. */
  pollMs?: number;
  /** The first pause before reading again after a read held back by an older transaction; it doubles while that lasts, up to pollMs. */
  heldRecheckMs?: number;
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
  { projections, logger = silentLogger, owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`, pollMs = 1000, heldRecheckMs = 4, batchSize = 500, leaseMs = 5000 }: ProjectorOptions,
): Promise<Projector> {
  // Refused before anything is registered: a projection split by session must say its keys are per session.
  projections.forEach(assertPartitionable);
  const control = await startControl(sql, { projections, logger });
  for (const projection of projections) await ensureProjection(sql, projection);
  await notePartitionChanges(sql, projections, logger);
  let running = true;
  let wakeUp: (() => void) | null = null;
  let dirty = true;
  let passWaiters: Array<() => void> = [];
  const recheck = createHeldRecheck({ firstMs: heldRecheckMs, maxMs: pollMs, wake: () => wake() });
  const reader = createSharedReader(sql, { onRead: recheck.onRead });
  const wake = () => {
    recheck.woke();
    dirty = true;
    reader.invalidate();
    wakeUp?.();
  };
  // A (re)listen means the database is there again: slots backing off after failures run now.
  let reconnected = false;
  const listener = await sql.listen(EVENTS_CHANNEL, wake, () => {
    reconnected = true;
    wake();
  });
  // Which slots exist and which rebuilds are asked for is looked up on the safety poll's beat,
  // and at once when a rebuild request was read, a generation swapped in, a pass failed or
  // settled() asks: not on every append, where it cost two statements of the hot path.
  let bookkeepingAsked = 1;
  let bookkeepingDone = 0;
  let lastBookkeeping = 0;
  const again = () => {
    bookkeepingAsked++;
    dirty = true;
    wakeUp?.();
  };
  const read: ReadEvents = async (from, limit, part) => {
    const events = await reader.read(from, limit, part);
    if (events.some((event) => event.type === REBUILD_REQUESTED)) again();
    return events;
  };
  const group = createCommitGroup(sql);
  const backoff = (failures: number) => Math.min(pollMs * 2 ** failures, 30_000) * (0.5 + Math.random() / 2);

  // Alive as long as a lease, and for a few bookkeeping beats at least.
  const share = createPartitionShare(sql, owner, projections.map((p) => p.name), Math.max(leaseMs, pollMs * 3), { eager: projections.some((p) => partitionsOf(p) > 1) });
  const lanes = createSlotLanes({ sql, projections, owner, logger, batchSize, leaseMs, read, group, backoff, onSwap: again, mine: share.mine });
  let known: SlotInfo[] = [];

  /**
   * The slots known from the last pass are kicked at once, so that an append reaches the
   * projections without waiting for the bookkeeping round trip. When bookkeeping is due,
   * rebuild requests are acted on meanwhile, and a generation they start is kicked in this
   * same pass. Resolves when the slots' runs have ended.
   */
  async function pass(): Promise<{ done: Promise<void> }> {
    const now = reconnected;
    reconnected = false;
    const kicked = new Map(known.map((slot) => [slotId(slot), lanes.kick(slot, { now })]));
    const asked = bookkeepingAsked;
    const due = asked !== bookkeepingDone || now || performance.now() - lastBookkeeping >= pollMs;
    if (!due) return { done: Promise.all(kicked.values()).then(() => {}) };
    // Asked side by side, to save a round trip; a request acted on may have added a slot.
    const [acted, listed] = await Promise.all([control.poll(), slotsFor(sql, projections)]);
    known = acted > 0 ? await slotsFor(sql, projections) : listed;
    // Partitioned slots only: who else runs them decides which partitions are this process's.
    await share.refresh(known);
    bookkeepingDone = asked;
    lastBookkeeping = performance.now();
    const runs = known.map((slot) => kicked.get(slotId(slot)) ?? lanes.kick(slot, { now }));
    return { done: Promise.all([...kicked.values(), ...runs]).then(() => {}) };
  }

  const loop = (async () => {
    let failures = 0;
    while (running) {
      const waiters = passWaiters;
      passWaiters = [];
      dirty = false;
      try {
        const { done } = await pass();
        failures = 0;
        if (waiters.length > 0) void done.then(() => waiters.forEach((resolve) => resolve()));
      } catch (error) {
        failures++;
        logger.warn('projector pass failed; retrying', { error: String((error as Error)?.message ?? error), failures });
        for (const resolve of waiters) resolve();
      }
      if (!running) break;
      if (!dirty || failures > 0) await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, failures > 0 ? backoff(failures) : pollMs);
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
        bookkeepingAsked++;
        wake();
      });
    },
    async stop() {
      running = false;
      recheck.stop();
      wake();
      await loop;
      await lanes.close();
      await share.leave().catch(() => {});
      await listener.unlisten().catch(() => {});
    },
  };
}

/** A partition count unlike the serving generation's waits for the next rebuild: say so. */
async function notePartitionChanges(sql: Sql, projections: readonly DocProjection<object>[], logger: Logger): Promise<void> {
  const rows = await sql<{ name: string; partitions: number }[]>`
    select distinct c.name, c.partitions from arrakis.projection_checkpoints c
      join arrakis.projections p on p.name = c.name and c.generation = coalesce(p.building_generation, p.active_generation)
     where c.name = any(${projections.map((p) => p.name)})`;
  for (const { name, partitions } of rows) {
    const wanted = partitionsOf(projections.find((p) => p.name === name)!);
    if (wanted !== partitions) {
      logger.warn('projection runs with another partition count until it is rebuilt', { projection: name, partitions, configured: wanted, fix: `arrakis rebuild ${name}` });
    }
  }
}
