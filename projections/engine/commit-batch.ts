import type { Sql, TransactionSql } from 'postgres';
import type { Checkpoint } from '../../core/event-store.js';
import type { Folded } from './apply.js';
import { FencedError, moveCheckpoint, type Slot } from './slots.js';
import { tableOf, updateOnConflict } from './tables.js';

/** Channel on which projectors say, after each commit, which projection moved and which sessions changed. */
export const PROJECTIONS_CHANNEL = 'arrakis_projections';
// NOTIFY payloads must stay under 8000 bytes; past this many sessions, say "many" instead.
const MAX_NOTIFY_BYTES = 7000;

export function changePayload(slot: Slot, at: Checkpoint, sessions: Iterable<string> | null): string {
  const payload = JSON.stringify({ p: slot.name, g: slot.generation, pos: at.position, s: sessions ? [...sessions] : null });
  return payload.length > MAX_NOTIFY_BYTES ? JSON.stringify({ p: slot.name, g: slot.generation, pos: at.position, s: null }) : payload;
}

/** The change notification on its own, inside the caller's transaction (a generation swapped in). */
export async function notifyChange(tx: Sql | TransactionSql, slot: Slot, at: Checkpoint, sessions: Iterable<string> | null): Promise<void> {
  await (tx as Sql)`select pg_notify(${PROJECTIONS_CHANNEL}, ${changePayload(slot, at, sessions)})`;
}

export interface Batch {
  slot: Slot;
  owner: string;
  from: Checkpoint;
  to: Checkpoint;
  leaseMs: number;
  /** The documents the batch changed; null when it touched none. */
  folded: Folded | null;
}

/**
 * A batch's documents, its checkpoint compare-and-set and its change notification, as ONE
 * statement: atomic on its own, one round trip, and no transaction left open between round
 * trips to hold back every reader's snapshot-safe horizon. The documents are written only
 * when the checkpoint moved, so a fenced runner changes nothing.
 *
 * The commit need not wait for the disk (set_config is local to the statement's own
 * transaction): after a crash the lost tail of batches, documents and checkpoint together,
 * is simply applied again from the log, which every append flushes.
 */
export async function commitBatch(sql: Sql, batch: Batch): Promise<void> {
  const [moved] = await commitBatches(sql, [batch]);
  if (!moved) throw new FencedError(batch.slot);
}

/**
 * Several slots' batches in one statement (commit-group.ts), each with its own checkpoint
 * compare-and-set guarding its own documents and notification: answers, for each, whether
 * its checkpoint moved. One failure fails them all; the caller tells them apart.
 */
export async function commitBatches(sql: Sql, batches: readonly Batch[]): Promise<boolean[]> {
  const parts = batches.map(({ slot, owner, from, to, leaseMs, folded }, i) => {
    const moved = sql(`moved_${i}`);
    const table = tableOf(slot.name, slot.generation);
    const written = folded
      ? sql`, ${sql(`written_${i}`)} as (
          insert into ${sql(table)} (key, session_id, at, seq, doc, first_position, last_position)
          select r.* from jsonb_to_recordset(${sql.json(folded.rows)})
            as r(key text, session_id text, at timestamptz, seq bigint, doc jsonb, first_position bigint, last_position bigint)
           where exists (select from ${moved})
          ${updateOnConflict(sql, table)})`
      : sql``;
    const notify = folded ? sql`, (select max(pg_notify(${PROJECTIONS_CHANNEL}, ${changePayload(slot, to, folded.sessions)})::text) from ${moved})` : sql``;
    return {
      ctes: sql`${moved} as (${moveCheckpoint(sql, slot, owner, from, to, leaseMs)} returning 1)${written}`,
      columns: sql`, (select count(*) from ${moved})::int as ${sql(`m${i}`)}${notify}`,
    };
  });
  const ctes = parts.slice(1).reduce((all, part) => sql`${all}, ${part.ctes}`, parts[0]!.ctes);
  const columns = parts.slice(1).reduce((all, part) => sql`${all}${part.columns}`, parts[0]!.columns);
  const [row] = await sql<Array<Record<string, number>>>`
    with ${ctes}
    select set_config('synchronous_commit', 'off', true)${columns}`;
  return batches.map((_, i) => row![`m${i}`] === 1);
}
