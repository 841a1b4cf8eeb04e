import type { Sql } from 'postgres';
import { eventColumns, START, toStoredEvent, type Checkpoint, type EventRow } from './event-store.js';
import type { StoredEvent } from './events.js';

export interface HeldRead {
  /** What readAfter would answer. */
  events: StoredEvent[];
  /**
   * Committed events exist that this read could not take yet: a transaction older than
   * theirs was still running (another append, a projector's own commit, any database's
   * work on the cluster). Nothing will announce them when it ends, so the reader asks again.
   */
  held: boolean;
}

/**
 * Events after `checkpoint` in (transaction_id, position) order, only from transactions
 * older than every transaction still running: one that commits late cannot be skipped,
 * it simply holds readers back until it ends.
 */
export async function readAfter(sql: Sql, checkpoint: Checkpoint = START, limit = 500): Promise<StoredEvent[]> {
  return (await readAfterHeld(sql, checkpoint, limit)).events;
}

/** readAfter, and in the same statement (the same snapshot) whether it was held back. */
export async function readAfterHeld(sql: Sql, checkpoint: Checkpoint = START, limit = 500): Promise<HeldRead> {
  const rows = await sql<Array<Partial<EventRow> & { held: boolean }>>`
    select h.held, e.* from (select pg_snapshot_xmin(pg_current_snapshot()) as xmin) x
      cross join lateral (select exists (select from arrakis.events b where b.transaction_id >= x.xmin) as held) h
      left join lateral (
        select ${eventColumns(sql)}, e.transaction_id as xid from arrakis.events e
         where e.transaction_id < x.xmin
           and (e.transaction_id, e.position) > (${checkpoint.transactionId}::xid8, ${checkpoint.position})
         -- Qualified: the bare name would sort by the text alias, putting xid 1000 before 999.
         order by e.transaction_id, e.position
         limit ${limit}) e on true
     order by e.xid, e.position`;
  const events = rows.filter((row) => row.position != null).map((row) => toStoredEvent(row as EventRow));
  return { events, held: rows[0]?.held ?? false };
}
