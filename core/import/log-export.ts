import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Sql } from 'postgres';
import { LOG_FORMAT, LOG_VERSION, type LogHeader, type LogRecord } from './log-record.js';

export interface ExportOptions {
  /** Only events captured before this instant. */
  before?: Date | null;
  /** Only events captured at or after this instant. */
  since?: Date | null;
  clock?: () => Date;
  /** Rows fetched per query. */
  pageSize?: number;
  onProgress?(tally: Readonly<ExportTally>): void;
}

export interface ExportTally {
  events: number;
  /** Uncompressed. */
  bytes: number;
}

interface Row {
  position: number;
  transaction_id: string;
  request_id: string;
  content_hash: string;
  type: string;
  session_id: string;
  captured_at: string;
  received_at: string;
  client: string | null;
  payload: string;
  payload_json: string | null;
}

/**
 * Pages through the log in (transaction_id, position) order with a keyset cursor, one short
 * query per page: no transaction stays open while a slow destination drains, so projectors
 * and live capture never wait on an export. The end is fixed when it starts (the xmin of its
 * first snapshot, as readAfter reads): events appended meanwhile are left for the next export,
 * and none older can be skipped by committing late.
 */
async function* pages(sql: Sql, { before, since }: { before: Date | null; since: Date | null }, pageSize: number): AsyncGenerator<Row[]> {
  const [{ until }] = await sql<[{ until: string }]>`select pg_snapshot_xmin(pg_current_snapshot())::text as until`;
  let after = { transactionId: '0', position: 0 };
  for (;;) {
    const rows = await sql<Row[]>`
      select e.position, e.transaction_id::text as transaction_id, e.request_id, encode(e.content_hash, 'hex') as content_hash,
             e.type, e.session_id, to_json(e.captured_at) #>> '{}' as captured_at, to_json(e.received_at) #>> '{}' as received_at,
             e.client::text as client, e.payload::text as payload, e.payload_json
        from arrakis.events e
       where e.transaction_id < ${until}::xid8
         and (e.transaction_id, e.position) > (${after.transactionId}::xid8, ${after.position})
         ${before ? sql`and e.captured_at < ${before}` : sql``}
         ${since ? sql`and e.captured_at >= ${since}` : sql``}
       order by e.transaction_id, e.position
       limit ${pageSize}`;
    if (rows.length === 0) return;
    yield rows;
    const last = rows.at(-1)!;
    after = { transactionId: last.transaction_id, position: last.position };
  }
}

const record = (row: Row): LogRecord => ({
  position: row.position,
  requestId: row.request_id,
  contentHash: row.content_hash,
  type: row.type,
  sessionId: row.session_id,
  capturedAt: row.captured_at,
  receivedAt: row.received_at,
  client: row.client,
  payload: row.payload,
  payloadJson: row.payload_json,
});

/** Writes the log (or its events captured in [since, before)) to `destination` as gzip-compressed JSONL. */
export async function exportLog(sql: Sql, destination: Writable, { before = null, since = null, clock = () => new Date(), pageSize = 200, onProgress = () => {} }: ExportOptions = {}): Promise<ExportTally> {
  const tally: ExportTally = { events: 0, bytes: 0 };
  async function* lines(): AsyncGenerator<string> {
    const header: LogHeader = { format: LOG_FORMAT, version: LOG_VERSION, exportedAt: clock().toISOString(), before: before?.toISOString() ?? null, since: since?.toISOString() ?? null };
    yield `${JSON.stringify(header)}\n`;
    for await (const rows of pages(sql, { before, since }, pageSize)) {
      const text = rows.map((row) => `${JSON.stringify(record(row))}\n`).join('');
      tally.events += rows.length;
      tally.bytes += Buffer.byteLength(text);
      yield text;
      onProgress(tally);
    }
  }
  await pipeline(Readable.from(lines()), createGzip(), destination);
  return tally;
}
