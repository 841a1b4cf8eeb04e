import type { Sql } from 'postgres';
import type { Checkpoint } from '../../core/event-store.js';
import { shownConversation } from '../../projections/conversations/queries.js';
import { streamId } from './stream-id.js';

/** One appended event as the stream tells it, with its conversation as the projections now show it. */
export interface Change {
  id: string;
  at: Checkpoint;
  position: number;
  requestId: string;
  type: string;
  sessionId: string;
  capturedAt: string;
  receivedAt: string;
  conversation: Record<string, unknown> | null;
}

export interface ChangeRow {
  position: number;
  transaction_id: string;
  request_id: string;
  type: string;
  session_id: string;
  captured_at: Date;
  received_at: Date;
  transaction_first: number;
}

export interface ChangeRange {
  after: Checkpoint;
  upTo: Checkpoint;
  sessionId?: string | null;
  limit: number;
}

/** A ChangeRow's columns, from `arrakis.events e`. */
export const changeColumns = (sql: Sql) => sql`
  e.position, e.transaction_id::text as transaction_id, e.request_id, e.type, e.session_id, e.captured_at, e.received_at,
  (select min(f.position) from arrakis.events f where f.transaction_id = e.transaction_id) as transaction_first`;

const inRange = (sql: Sql, { after, upTo, sessionId }: ChangeRange) => sql`
  (e.transaction_id, e.position) > (${after.transactionId}::xid8, ${after.position})
  and (e.transaction_id, e.position) <= (${upTo.transactionId}::xid8, ${upTo.position})
  ${sessionId ? sql`and e.session_id = ${sessionId}` : sql``}`;

/**
 * Events in (after, upTo], in the log's safe order. `upTo` is a checkpoint projectors have
 * already passed, so everything at or below it is committed and visible: no snapshot rule
 * is needed here.
 */
export async function readChanges(sql: Sql, range: ChangeRange): Promise<Change[]> {
  const rows = await sql<ChangeRow[]>`
    select ${changeColumns(sql)}
      from arrakis.events e
     where ${inRange(sql, range)}
     order by e.transaction_id, e.position
     limit ${range.limit}`;
  if (rows.length === 0) return [];
  const sessions = [...new Set(rows.map((row) => row.session_id))];
  const conversations = new Map(
    (await sql<{ key: string; doc: Record<string, unknown> }[]>`
      select wanted.key, v.doc from unnest(${sessions}::text[]) wanted(key)
        join lateral (${shownConversation(sql, sql`wanted.key`)}) v on true`).map((row) => [row.key, row.doc]),
  );
  return rows.map((row) => toChange(row, conversations.get(row.session_id) ?? null));
}

export const toChange = (row: ChangeRow, conversation: Record<string, unknown> | null): Change => ({
  id: streamId(row.transaction_id, row.position, row.transaction_first),
  at: { transactionId: row.transaction_id, position: row.position },
  position: row.position,
  requestId: row.request_id,
  type: row.type,
  sessionId: row.session_id,
  capturedAt: row.captured_at.toISOString(),
  receivedAt: row.received_at.toISOString(),
  conversation,
});

/** How many changes a range holds, counted no further than `cap`. */
export async function countChanges(sql: Sql, range: Omit<ChangeRange, 'limit'>, cap: number): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from (select 1 from arrakis.events e where ${inRange(sql, { ...range, limit: cap })} limit ${cap}) capped`;
  return row!.n;
}
