import type { Sql } from 'postgres';
import { EVENTS_CHANNEL } from '../event-store.js';
import type { WriteStatus } from './batch-writer.js';
import type { TranscriptRow } from './transcript-row.js';

/**
 * appendEvents (core/event-store.ts) for the import's rows, with the same outcomes: the
 * first occurrence of a requestId is stored, a repeat is a duplicate when its content hash
 * matches the stored one and a conflict when not; one transaction, its rows in order, one
 * NOTIFY on commit. It differs in how the rows travel: a column per parameter and the payloads
 * as one text split on line feeds, so the statement's text never changes and is prepared once
 * (a multi-row VALUES is a new statement, parsed and described in an extra round trip, for
 * each batch size) and the driver sends each payload as it is, neither serialised again nor
 * escaped into an array literal.
 */
export async function appendRows(sql: Sql, rows: readonly TranscriptRow[], receivedAt: Date): Promise<WriteStatus[]> {
  if (rows.length === 0) return [];
  const inserted = await sql<{ request_id: string }[]>`
    with input as (
      select * from unnest(
        ${rows.map((r) => r.requestId)}::text[], ${rows.map((r) => r.contentHash.toString('hex'))}::text[], ${rows.map((r) => r.type)}::text[],
        ${rows.map((r) => r.sessionId)}::text[], ${rows.map((r) => r.capturedAt)}::timestamptz[],
        string_to_array(${rows.map((r) => r.payload).join('\n')}::text, E'\\n'), ${rows.map((r) => r.payloadJson)}::text[]
      ) with ordinality as t(request_id, content_hash, type, session_id, captured_at, payload, payload_json, n)),
    inserted as (
      insert into arrakis.events (request_id, content_hash, type, session_id, captured_at, received_at, client, payload, payload_json)
      select request_id, decode(content_hash, 'hex'), type, session_id, captured_at, ${receivedAt}, null, payload::jsonb, payload_json
      from input order by n
      on conflict (request_id) do nothing
      returning request_id)
    select request_id, pg_notify(${EVENTS_CHANNEL}, '')::text as notified from inserted`;
  const unclaimed = new Set(inserted.map((row) => row.request_id));
  if (unclaimed.size === rows.length) return rows.map(() => 'stored');
  // Repeats of a row inserted here compare with its first occurrence, others with the stored row.
  const hashes = new Map<string, Buffer>();
  for (const row of rows) if (unclaimed.has(row.requestId) && !hashes.has(row.requestId)) hashes.set(row.requestId, row.contentHash);
  const missing = rows.filter((row) => !hashes.has(row.requestId)).map((row) => row.requestId);
  if (missing.length > 0) {
    // A separate statement: its fresh snapshot sees the row that made ON CONFLICT skip.
    const existing = await sql<{ request_id: string; content_hash: Buffer }[]>`
      select request_id, content_hash from arrakis.events where request_id = any(${missing})`;
    for (const row of existing) hashes.set(row.request_id, row.content_hash);
  }
  return rows.map((row) => {
    if (unclaimed.delete(row.requestId)) return 'stored';
    return hashes.get(row.requestId)?.equals(row.contentHash) ? 'duplicate' : 'conflict';
  });
}
