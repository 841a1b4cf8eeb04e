import type { Sql, TransactionSql } from 'postgres';
import type { Checkpoint } from '../../core/event-store.js';

/**
 * A slot is one generation of one projection: a checkpoint row with a lease. Only the
 * lease holder advances it, and every advance is a compare-and-set on owner and the
 * previous checkpoint, so a process that stalled past its lease cannot overwrite the work
 * of the one that took over (fencing).
 */
export interface Slot {
  name: string;
  generation: number;
  /** Which of the generation's partitions (partitions.ts); 0, the only one, when it has one. */
  partition?: number;
}

export const partitionOfSlot = (slot: Slot) => slot.partition ?? 0;

export class FencedError extends Error {
  constructor(slot: Slot) {
    super(`lost the lease on ${slot.name} generation ${slot.generation}${slot.partition ? ` partition ${slot.partition}` : ''}`);
  }
}

interface ClaimRow {
  transaction_id: string;
  position: number;
  continuous: boolean;
}

export interface Claim {
  checkpoint: Checkpoint;
  /** This owner held the lease right up to this claim: nobody else can have written meanwhile. */
  continuous: boolean;
}

/** Takes or renews the lease; the slot's checkpoint when this process owns it, else null. */
export async function claim(sql: Sql, slot: Slot, owner: string, leaseMs: number): Promise<Claim | null> {
  const [row] = await sql<ClaimRow[]>`
    with before as (
      select owner, lease_until from arrakis.projection_checkpoints
       where name = ${slot.name} and generation = ${slot.generation} and partition = ${partitionOfSlot(slot)} for update)
    update arrakis.projection_checkpoints c
       set owner = ${owner}, lease_until = now() + ${leaseMs} * interval '1 millisecond'
      from before
     where c.name = ${slot.name} and c.generation = ${slot.generation} and c.partition = ${partitionOfSlot(slot)}
       and (before.owner is null or before.owner = ${owner} or before.lease_until < now())
    returning c.transaction_id::text as transaction_id, c.position,
              coalesce(before.owner = ${owner} and before.lease_until >= now(), false) as continuous`;
  return row ? { checkpoint: { transactionId: row.transaction_id, position: row.position }, continuous: row.continuous } : null;
}

/** The compare-and-set that moves a slot's checkpoint and renews its lease: it matches no row once the lease was lost. */
export const moveCheckpoint = (sql: Sql, slot: Slot, owner: string, from: Checkpoint, to: Checkpoint, leaseMs: number) => sql`
  update arrakis.projection_checkpoints
     set transaction_id = ${to.transactionId}::xid8, position = ${to.position}, status = 'running', last_error = null,
         lease_until = now() + ${leaseMs} * interval '1 millisecond', updated_at = now()
   where name = ${slot.name} and generation = ${slot.generation} and partition = ${partitionOfSlot(slot)} and owner = ${owner}
     and transaction_id = ${from.transactionId}::xid8 and position = ${from.position}`;

/** Moves the checkpoint inside the caller's transaction; throws FencedError if the lease was lost. */
export async function advance(tx: Sql | TransactionSql, slot: Slot, owner: string, from: Checkpoint, to: Checkpoint, leaseMs: number): Promise<void> {
  const q = tx as Sql;
  const moved = await q`${moveCheckpoint(q, slot, owner, from, to, leaseMs)}`;
  if (moved.count !== 1) throw new FencedError(slot);
}

export async function release(sql: Sql, slot: Slot, owner: string): Promise<void> {
  await sql`update arrakis.projection_checkpoints set owner = null, lease_until = null
             where name = ${slot.name} and generation = ${slot.generation} and partition = ${partitionOfSlot(slot)} and owner = ${owner}`;
}

export async function setStatus(sql: Sql, slot: Slot, owner: string, status: string, error: string | null): Promise<void> {
  await sql`update arrakis.projection_checkpoints set status = ${status}, last_error = ${error}, updated_at = now()
             where name = ${slot.name} and generation = ${slot.generation} and partition = ${partitionOfSlot(slot)} and owner = ${owner}`;
}
