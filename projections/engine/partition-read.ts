import type { Sql } from 'postgres';
import { toStoredEvent, type Checkpoint, type EventRow } from '../../core/event-store.js';
import type { HeldRead } from '../../core/read-after.js';
import { sqlPartitionOf } from './partitions.js';

export interface Part {
  partition: number;
  partitions: number;
}

/**
 * readAfterHeld for one partition: the same events, order, snapshot rule and held flag,
 * but the events of the other partitions' sessions come without client and payload. They
 * are still read, so the partition's checkpoint moves over them (and lag means what it
 * means unsplit), yet their payloads are neither detoasted, sent nor parsed: each of K
 * processes pays for its own sessions' payloads only. Arrakis' own events come whole to
 * every partition (a retry request must reach the partition holding the parked event).
 * The partition view (partitions.ts) never hands a stub to the projection.
 */
export async function readPartitionHeld(sql: Sql, checkpoint: Checkpoint, limit: number, { partition, partitions }: Part): Promise<HeldRead> {
  const rows = await sql<Array<Partial<EventRow> & { held: boolean }>>`
    select h.held, e.* from (select pg_snapshot_xmin(pg_current_snapshot()) as xmin) x
      cross join lateral (select exists (select from arrakis.events b where b.transaction_id >= x.xmin) as held) h
      left join lateral (
        select e.position, e.transaction_id::text as transaction_id, e.request_id, e.type, e.session_id, e.captured_at, e.received_at,
               case when m.whole then e.client end as client, case when m.whole then e.payload end as payload,
               case when m.whole then e.payload_json end as payload_json, e.transaction_id as xid
          from arrakis.events e
          cross join lateral (select starts_with(e.type, 'arrakis.') or ${sqlPartitionOf(sql, sql`e.session_id`, partitions)} = ${partition} as whole) m
         where e.transaction_id < x.xmin
           and (e.transaction_id, e.position) > (${checkpoint.transactionId}::xid8, ${checkpoint.position})
         order by e.transaction_id, e.position
         limit ${limit}) e on true
     order by e.xid, e.position`;
  const events = rows.filter((row) => row.position != null).map((row) => toStoredEvent(row as EventRow));
  return { events, held: rows[0]?.held ?? false };
}
