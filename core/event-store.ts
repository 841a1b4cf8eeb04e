import type { JSONValue, Sql, TransactionSql } from 'postgres';
import type { AppendOutcome, NewEvent, StoredEvent } from './events.js';
import { JsonText } from './json-text.js';

/** Channel woken once per committed append transaction; the payload is always empty. */
export const EVENTS_CHANNEL = 'arrakis_events';

interface Existing {
  request_id: string;
  position: number;
  content_hash: Buffer;
}

/**
 * postgres.js picks a parameter's type from its value: a payload of true (or [true]) would go as
 * a boolean and null as SQL NULL, and the insert fail. Wrapped, it goes as its JSON text.
 */
const asJson = (value: unknown) => ({ toJSON: () => value }) as unknown as JSONValue;

/** The row `appendEvents` inserts for an event (benchmarks insert the same rows by other means). */
export function eventRow(e: NewEvent, receivedAt: Date) {
  return {
    request_id: e.requestId,
    content_hash: e.contentHash,
    type: e.type,
    session_id: e.sessionId,
    captured_at: e.capturedAt,
    received_at: receivedAt,
    client: e.client as JSONValue,
    payload: e.payloadText !== undefined ? (new JsonText(e.payloadText) as unknown as JSONValue) : asJson(e.payload),
    payload_json: e.payloadJson,
  };
}

// Postgres binds at most 65,535 parameters in a statement and a row takes 9: one transcript
// chunk of many short lines is more rows than that.
const MAX_ROWS_PER_INSERT = 5000;

/**
 * Appends a batch in one statement (a batch too long for one is inserted in slices, in one
 * transaction still): on its own it is one transaction and one round trip;
 * inside `sql.begin` it joins the caller's. The INSERT is the transaction's first write, so
 * its xid orders it. Every inserted row calls pg_notify, and Postgres folds identical
 * notifications of a transaction into one, sent on commit.
 * A requestId already stored answers with the original position, as a duplicate when the
 * content hash matches and as a conflict when it does not.
 */
export async function appendEvents(sql: Sql | TransactionSql, events: readonly NewEvent[], receivedAt: Date): Promise<AppendOutcome[]> {
  if (events.length > MAX_ROWS_PER_INSERT && !('savepoint' in sql)) {
    return (sql as Sql).begin((tx) => appendEvents(tx, events, receivedAt)) as Promise<AppendOutcome[]>;
  }
  // A transaction has the same query interface; the union only trips TypeScript's overloads.
  const tx = sql as Sql;
  const first = new Map<string, NewEvent>();
  for (const event of events) if (!first.has(event.requestId)) first.set(event.requestId, event);
  const rows = [...first.values()].map((e) => eventRow(e, receivedAt));
  const inserted: { request_id: string; position: number }[] = [];
  for (let at = 0; at < rows.length; at += MAX_ROWS_PER_INSERT) {
    inserted.push(...(await tx<{ request_id: string; position: number }[]>`
      with inserted as (
        insert into arrakis.events ${tx(rows.slice(at, at + MAX_ROWS_PER_INSERT))}
        on conflict (request_id) do nothing
        returning request_id, position)
      select request_id, position, pg_notify(${EVENTS_CHANNEL}, '')::text as notified from inserted`));
  }
  const stored = new Map<string, Existing>();
  for (const row of inserted) stored.set(row.request_id, { ...row, content_hash: first.get(row.request_id)!.contentHash });
  const missing = rows.filter((r) => !stored.has(r.request_id)).map((r) => r.request_id);
  if (missing.length > 0) {
    // A separate statement: its fresh snapshot sees the row that made ON CONFLICT skip.
    const existing = await tx<Existing[]>`
      select request_id, position, content_hash from arrakis.events where request_id = any(${missing})`;
    for (const row of existing) stored.set(row.request_id, row);
  }
  // Only the first occurrence of an inserted requestId is "stored"; repeats in the batch are duplicates.
  const unclaimed = new Set(inserted.map((r) => r.request_id));
  return events.map((event) => {
    const row = stored.get(event.requestId)!;
    if (unclaimed.delete(event.requestId)) {
      return { requestId: event.requestId, position: row.position, status: 'stored' };
    }
    const status = row.content_hash.equals(event.contentHash) ? 'duplicate' : 'conflict';
    return { requestId: event.requestId, position: row.position, status };
  });
}

export interface Checkpoint {
  transactionId: string;
  position: number;
}

export const START: Checkpoint = { transactionId: '0', position: 0 };

export interface EventRow {
  position: number;
  transaction_id: string;
  request_id: string;
  type: string;
  session_id: string;
  captured_at: Date;
  received_at: Date;
  client: StoredEvent['client'];
  payload: unknown;
  payload_json: string | null;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: row.position,
    transactionId: row.transaction_id,
    requestId: row.request_id,
    type: row.type,
    sessionId: row.session_id,
    capturedAt: row.captured_at,
    receivedAt: row.received_at,
    client: row.client,
    payload: row.payload,
    payloadJson: row.payload_json,
  };
}

/** The columns of a StoredEvent, from `arrakis.events e`. */
export const eventColumns = (sql: Sql) => sql`
  e.position, e.transaction_id::text as transaction_id, e.request_id, e.type, e.session_id,
  e.captured_at, e.received_at, e.client, e.payload, e.payload_json`;

/** Resolves once every event committed so far can be read by `readAfter` (read-after.ts). */
export async function untilReadable(sql: Sql, pollMs = 10): Promise<void> {
  const [row] = await sql<{ newest: string | null }[]>`select max(transaction_id)::text as newest from arrakis.events`;
  if (row?.newest == null) return;
  for (;;) {
    const [check] = await sql<{ readable: boolean }[]>`select pg_snapshot_xmin(pg_current_snapshot()) > ${row.newest}::xid8 as readable`;
    if (check!.readable) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** One event by position, or null. */
export async function readAt(sql: Sql | TransactionSql, position: number): Promise<StoredEvent | null> {
  const q = sql as Sql;
  const [row] = await q<EventRow[]>`select ${eventColumns(q)} from arrakis.events e where e.position = ${position}`;
  return row ? toStoredEvent(row) : null;
}

export function checkpointOf(event: StoredEvent): Checkpoint {
  return { transactionId: event.transactionId, position: event.position };
}
