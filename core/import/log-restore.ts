import type { Sql } from 'postgres';
import type { z } from 'zod';
import { EVENTS_CHANNEL } from '../event-store.js';
import { createBatchWriter, type WriteStatus, type WriteTally } from './batch-writer.js';
import { readLines } from './line-reader.js';
import { logHeaderSchema, logRecordSchema, type LogHeader, type LogRecord } from './log-record.js';

/**
 * `arrakis import-log`: appends the events of an `arrakis export` back, in the file's order.
 * New positions are assigned as they go in; everything else is restored as it was, received
 * time included. A requestId already stored is a duplicate, so restoring twice, or into a
 * database that already holds part of the file, adds nothing twice.
 */
export class LogFormatError extends Error {}

export interface RestoreTally extends WriteTally {
  events: number;
  /** Uncompressed. */
  bytes: number;
}

export interface RestoreOptions {
  onProgress?(read: Readonly<{ events: number; bytes: number }>): void;
  /** Records the database refused, one sentence each. */
  onNote?(note: string, kind: 'failed'): void;
}

/** V8's longest string, just about: a record holding a huge payload (jsonb takes up to 255 MB) grows further with its escapes. */
const MAX_RECORD_BYTES = 512 * 1024 * 1024 - 64;

/** One INSERT for the batch, in its order, from an array per column; jsonb and times are cast from their exact text. */
export async function restoreEvents(sql: Sql, records: readonly LogRecord[]): Promise<WriteStatus[]> {
  const column = <K extends keyof LogRecord>(key: K) => records.map((r) => r[key]);
  const inserted = await sql<{ request_id: string }[]>`
    with inserted as (
      insert into arrakis.events (request_id, content_hash, type, session_id, captured_at, received_at, client, payload, payload_json)
      select request_id, decode(content_hash, 'hex'), type, session_id, captured_at::timestamptz, received_at::timestamptz,
             client::jsonb, payload::jsonb, payload_json
        from unnest(${column('requestId')}::text[], ${column('contentHash')}::text[], ${column('type')}::text[], ${column('sessionId')}::text[],
                    ${column('capturedAt')}::text[], ${column('receivedAt')}::text[], ${column('client')}::text[], ${column('payload')}::text[],
                    ${column('payloadJson')}::text[])
             with ordinality as input(request_id, content_hash, type, session_id, captured_at, received_at, client, payload, payload_json, n)
       order by n
      on conflict (request_id) do nothing
      returning request_id)
    select request_id, pg_notify(${EVENTS_CHANNEL}, '')::text as notified from inserted`;
  const stored = new Set(inserted.map((row) => row.request_id));
  const missing = records.filter((r) => !stored.has(r.requestId)).map((r) => r.requestId);
  const existing = new Map<string, string>();
  if (missing.length > 0) {
    const rows = await sql<{ request_id: string; hash: string }[]>`
      select request_id, encode(content_hash, 'hex') as hash from arrakis.events where request_id = any(${missing})`;
    for (const row of rows) existing.set(row.request_id, row.hash);
  }
  return records.map((r) => (stored.has(r.requestId) ? 'stored' : existing.get(r.requestId) === r.contentHash ? 'duplicate' : 'conflict'));
}

function parse<T>(text: string, schema: z.ZodType<T>, what: string, kind: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LogFormatError(`${what} is not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ');
    throw new LogFormatError(`${what} is not ${kind}: ${issues}`);
  }
  return parsed.data;
}

/**
 * Restores an export read from `source` (already decompressed). A line that is not a record
 * stops it, after the records before it are stored: the file is damaged, and importing it
 * again once repaired adds only what is missing.
 */
export async function restoreLog(sql: Sql, source: AsyncIterable<Buffer>, { onProgress = () => {}, onNote = () => {} }: RestoreOptions = {}): Promise<RestoreTally & { header: LogHeader }> {
  const read = { events: 0, bytes: 0 };
  const writer = createBatchWriter<LogRecord>({
    write: (records) => restoreEvents(sql, records),
    onFailed: (record, error) => onNote(`event ${record.requestId} could not be stored: ${error.message.split('\n')[0]}`, 'failed'),
  });
  let header: LogHeader | null = null;
  let line = 0;
  try {
    for await (const items of readLines(source, { maxLineBytes: MAX_RECORD_BYTES })) {
      for (const item of items) {
        line++;
        read.bytes += item.bytes + 1;
        if (item.kind !== 'line') throw new LogFormatError(`line ${line} is ${item.kind === 'partial' ? 'cut short: the file is truncated' : 'too long to be a record'}`);
        if (item.text.trim() === '') continue;
        if (header === null) {
          header = parse(item.text, logHeaderSchema, `line ${line}`, 'the header of an arrakis export');
          continue;
        }
        await writer.add(parse(item.text, logRecordSchema, `line ${line}`, 'an event record'), item.bytes);
        read.events++;
      }
      onProgress(read);
    }
    if (header === null) throw new LogFormatError('the file is empty: not an arrakis export');
  } catch (error) {
    // The records read before a damaged line (or a cut gzip stream) still go in.
    await writer.finish().catch(() => {});
    throw error;
  }
  return { ...read, ...(await writer.finish()), header };
}
