import type { Sql, TransactionSql } from 'postgres';
import type { DocProjection } from '../projection.js';
import { notifyChange } from './commit-batch.js';
import { partitionsOf } from './partitions.js';
import { createTable, dropTable, indexTable, pointView } from './tables.js';

/**
 * Which generations of a projection exist and which one serves. Changes run under one
 * advisory lock so that several projector processes starting at once agree.
 */
export const REGISTRY_LOCK = 7_411_734_203;

export interface SlotInfo {
  name: string;
  generation: number;
  codeVersion: number;
  building: boolean;
  /** This slot's partition of the generation, and how many the generation has (partitions.ts). */
  partition: number;
  partitions: number;
}

async function startGeneration(tx: TransactionSql, projection: DocProjection<object>, { deferIndexes = true } = {}): Promise<number> {
  const [row] = await tx<{ next: number }[]>`
    select coalesce(max(generation), 0) + 1 as next from arrakis.projection_checkpoints where name = ${projection.name}`;
  const generation = row!.next;
  await createTable(tx, projection, generation, { deferIndexes });
  // One checkpoint row per partition, each with its own lease: K is fixed for the generation's life.
  const partitions = partitionsOf(projection);
  const rows = Array.from({ length: partitions }, (_, partition) => ({ name: projection.name, generation, code_version: projection.version, partition, partitions }));
  await tx`insert into arrakis.projection_checkpoints ${tx(rows)}`;
  return generation;
}

/**
 * Registers a projection on first sight (generation 1 serves at once), and starts building
 * a new generation when this code's version is newer than the one serving: blue/green.
 */
export async function ensureProjection(sql: Sql, projection: DocProjection<object>): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${REGISTRY_LOCK})`;
    const [registered] = await tx<{ active_generation: number; building_generation: number | null }[]>`
      select active_generation, building_generation from arrakis.projections where name = ${projection.name}`;
    if (!registered) {
      const generation = await startGeneration(tx, projection, { deferIndexes: false });
      await tx`insert into arrakis.projections (name, active_generation) values (${projection.name}, ${generation})`;
      await pointView(tx, projection.name, generation);
      return;
    }
    const versions = await tx<{ generation: number; code_version: number }[]>`
      select generation, code_version from arrakis.projection_checkpoints where name = ${projection.name}`;
    const versionOf = (g: number | null) => versions.find((v) => v.generation === g)?.code_version ?? -1;
    const newest = Math.max(versionOf(registered.active_generation), versionOf(registered.building_generation));
    if (newest < projection.version) {
      const generation = await startGeneration(tx, projection);
      await tx`update arrakis.projections set building_generation = ${generation} where name = ${projection.name}`;
    }
  });
}

/**
 * `arrakis rebuild`: a fresh generation from the start of the log, built while the active
 * one serves. With `resume`, a rebuild already under way with this code (one interrupted by
 * a crash, say) carries on from its checkpoint instead of starting over.
 */
export async function requestRebuild(sql: Sql, projection: DocProjection<object>, options: { resume?: boolean } = {}): Promise<number> {
  return sql.begin((tx) => rebuildWithin(tx, projection, options));
}

/** `requestRebuild` inside the caller's transaction, so that what asked for it commits with it. */
export async function rebuildWithin(tx: TransactionSql, projection: DocProjection<object>, { resume = false } = {}): Promise<number> {
  await tx`select pg_advisory_xact_lock(${REGISTRY_LOCK})`;
  const [old] = await tx<{ building_generation: number | null; code_version: number | null }[]>`
    select p.building_generation, c.code_version from arrakis.projections p
      left join arrakis.projection_checkpoints c on c.name = p.name and c.generation = p.building_generation
     where p.name = ${projection.name}`;
  if (resume && old?.building_generation && old.code_version === projection.version) return old.building_generation;
  if (old?.building_generation) await retire(tx, projection.name, old.building_generation);
  const generation = await startGeneration(tx, projection);
  await tx`update arrakis.projections set building_generation = ${generation} where name = ${projection.name}`;
  return generation;
}

async function retire(tx: TransactionSql, name: string, generation: number): Promise<void> {
  await dropTable(tx, name, generation);
  await tx`delete from arrakis.projection_checkpoints where name = ${name} and generation = ${generation}`;
}

/**
 * A caught-up building generation takes over: the view swaps in the same transaction that
 * records it, the previous generation stays for a rollback, older ones are dropped, and
 * listeners are told to resync.
 */
export async function swapIn(sql: Sql, projection: DocProjection<object>, generation: number, { tolerance = 0 } = {}): Promise<boolean> {
  const { name } = projection;
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${REGISTRY_LOCK})`;
    const [row] = await tx<{ active_generation: number; building_generation: number | null }[]>`
      select active_generation, building_generation from arrakis.projections where name = ${name} for update`;
    if (!row || row.building_generation !== generation) return false;
    if (!(await partitionsCaughtUp(tx, name, generation, tolerance))) return false;
    await indexTable(tx, projection, generation);
    await tx`update arrakis.projections set active_generation = ${generation}, building_generation = null where name = ${name}`;
    await pointView(tx, name, generation);
    const stale = await tx<{ generation: number }[]>`
      select generation from arrakis.projection_checkpoints
       where name = ${name} and generation < ${row.active_generation}`;
    for (const { generation: old } of stale) await retire(tx, name, old);
    await notifyChange(tx, { name, generation }, { transactionId: '0', position: 0 }, null);
    return true;
  });
}

/**
 * A partitioned generation swaps in once the partition that asks is at the head and the
 * others are within `tolerance` events of the one furthest on: a partition whose process
 * died stays behind until its lease is taken over, and the rebuild waits for it. Each
 * partition asks when it reaches the head, so the last one to get there swaps it in. The
 * events between the furthest-behind and furthest-on checkpoints are counted between their
 * values, an index range: at 5M events, counted through a join to the checkpoints, the
 * statement read the log for seconds, under the registry lock, with every swap queued behind.
 */
export async function partitionsCaughtUp(tx: TransactionSql, name: string, generation: number, tolerance: number): Promise<boolean> {
  const checkpoints = await tx<{ transaction_id: string; position: number }[]>`
    select c.transaction_id::text as transaction_id, c.position from arrakis.projection_checkpoints c
     where c.name = ${name} and c.generation = ${generation}
     order by c.transaction_id, c.position`;
  if (checkpoints.length <= 1) return true;
  const [lo, hi] = [checkpoints[0]!, checkpoints.at(-1)!];
  const [row] = await tx<{ between: number }[]>`
    select count(*)::int as between from (select from arrakis.events e
     where (e.transaction_id, e.position) > (${lo.transaction_id}::xid8, ${lo.position})
       and (e.transaction_id, e.position) <= (${hi.transaction_id}::xid8, ${hi.position}) limit ${tolerance + 1}) behind`;
  return row!.between <= tolerance;
}

/** The slots this code may run: the active and building generations built by this code's version. */
export async function slotsFor(sql: Sql, projections: readonly DocProjection<object>[]): Promise<SlotInfo[]> {
  const rows = await sql<{ name: string; generation: number; code_version: number; building: boolean; partition: number; partitions: number }[]>`
    select c.name, c.generation, c.code_version, c.generation = p.building_generation as building, c.partition, c.partitions
      from arrakis.projection_checkpoints c
      join arrakis.projections p on p.name = c.name
     where c.generation in (p.active_generation, coalesce(p.building_generation, p.active_generation))
     order by c.name, c.generation, c.partition`;
  return rows
    .filter((r) => projections.some((p) => p.name === r.name && p.version === r.code_version))
    .map((r) => ({ name: r.name, generation: r.generation, codeVersion: r.code_version, building: r.building, partition: r.partition, partitions: r.partitions }));
}
