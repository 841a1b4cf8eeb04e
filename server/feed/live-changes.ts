import type { Sql } from 'postgres';
import type { Checkpoint } from '../../core/event-store.js';
import { shownConversation } from '../../projections/conversations/queries.js';
import { changeColumns, toChange, type Change, type ChangeRow } from './changes.js';

interface LiveRow extends Partial<ChangeRow> {
  head_transaction_id: string;
  head_position: number;
  serving: number;
  conversation: Record<string, unknown> | null;
}

/**
 * How far the stream may go: the lowest checkpoint among the serving generations of the
 * projections a client reads after a change, so a frame never announces what they do not
 * show yet (a partitioned projection's lowest partition); one row, with how many of them serve.
 */
const servingHead = (sql: Sql, projections: readonly string[]) => sql`
  select c.transaction_id, c.position, count(*) filter (where c.partition = 0) over () as serving
    from arrakis.projection_checkpoints c
    join arrakis.projections p on p.name = c.name and p.active_generation = c.generation
   where c.name = any(${projections as string[]})
   order by c.transaction_id, c.position
   limit 1`;

/** The head alone, null until every one of `projections` serves; it reads no projection's table, which may not exist yet. */
export async function streamHead(sql: Sql, projections: readonly string[]): Promise<Checkpoint | null> {
  const [row] = await sql<{ transaction_id: string; position: number; serving: number }[]>`
    select transaction_id::text as transaction_id, position, serving::int as serving from (${servingHead(sql, projections)}) head`;
  return row && row.serving === projections.length ? { transactionId: row.transaction_id, position: row.position } : null;
}

/**
 * The live stream's one read per wake-up, once the projections serve (it reads the
 * conversations view): its head (servingHead), the changes after `after` up to there, and
 * each change's conversation, in one round trip. Every projection that moves notifies, so a
 * change is asked for once per projection: as one statement, the wake-ups that find the
 * slowest projection not there yet cost one round trip each, and the one that finds it
 * there brings the frames at once.
 */
export async function readLiveChanges(
  sql: Sql,
  projections: readonly string[],
  after: Checkpoint,
  limit: number,
): Promise<{ head: Checkpoint | null; changes: Change[] }> {
  const rows = await sql<LiveRow[]>`
    with head as (${servingHead(sql, projections)})
    select head.transaction_id::text as head_transaction_id, head.position as head_position, head.serving::int as serving,
           e.*, conversation.doc as conversation
      from head
      left join lateral (
        select ${changeColumns(sql)}, e.transaction_id as xid
          from arrakis.events e
         where (e.transaction_id, e.position) > (${after.transactionId}::xid8, ${after.position})
           and (e.transaction_id, e.position) <= (head.transaction_id, head.position)
         order by e.transaction_id, e.position
         limit ${limit}) e on true
      left join lateral (${shownConversation(sql, sql`e.session_id`)}) conversation on true
     order by e.xid, e.position`;
  const first = rows[0];
  if (!first || first.serving < projections.length) return { head: null, changes: [] };
  const head = { transactionId: first.head_transaction_id, position: first.head_position };
  const changes = rows.filter((row) => row.position != null).map((row) => toChange(row as ChangeRow, row.conversation));
  return { head, changes };
}
