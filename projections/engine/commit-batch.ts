import type { Sql } from 'postgres';
import type { Checkpoint } from '../../core/event-store.js';
import type { Folded } from './apply.js';
import { FencedError, type Slot } from './slots.js';
import { tableOf } from './tables.js';

/** Channel on which projectors say, after each commit, which projection moved and which sessions changed. */
export const PROJECTIONS_CHANNEL = 'arrakis_projections';
// NOTIFY payloads must stay under 8000 bytes; past this many sessions, say "many" instead.
const MAX_NOTIFY_BYTES = 7000;

export function changePayload(slot: Slot, at: Checkpoint, sessions: Iterable<string> | null): string {
  const payload = JSON.stringify({ p: slot.name, g: slot.generation, pos: at.position, s: sessions ? [...sessions] : null });
  return payload.length > MAX_NOTIFY_BYTES ? JSON.stringify({ p: slot.name, g: slot.generation, pos: at.position, s: null }) : payload;
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
export async function commitBatch(sql: Sql, { slot, owner, from, to, leaseMs, folded }: Batch): Promise<void> {
  const table = sql(tableOf(slot.name, slot.generation));
  const written = folded
    ? sql`, written as (
        insert into ${table} (key, session_id, at, seq, doc, first_position, last_position)
        select r.* from jsonb_to_recordset(${sql.json(folded.rows)})
          as r(key text, session_id text, at timestamptz, seq bigint, doc jsonb, first_position bigint, last_position bigint)
         where exists (select from moved)
        on conflict (key) do update set session_id = excluded.session_id, at = excluded.at, seq = excluded.seq,
          doc = excluded.doc, last_position = greatest(${table}.last_position, excluded.last_position))`
    : sql``;
  const notify = folded ? sql`, pg_notify(${PROJECTIONS_CHANNEL}, ${changePayload(slot, to, folded.sessions)})` : sql``;
  const moved = await sql`
    with moved as (
      update arrakis.projection_checkpoints
         set transaction_id = ${to.transactionId}::xid8, position = ${to.position}, status = 'running', last_error = null,
             lease_until = now() + ${leaseMs} * interval '1 millisecond', updated_at = now()
       where name = ${slot.name} and generation = ${slot.generation} and owner = ${owner}
         and transaction_id = ${from.transactionId}::xid8 and position = ${from.position}
      returning 1)${written}
    select set_config('synchronous_commit', 'off', true)${notify} from moved`;
  if (moved.count !== 1) throw new FencedError(slot);
}
