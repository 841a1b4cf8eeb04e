import type { Sql } from 'postgres';
import { START, type Checkpoint } from '../../core/event-store.js';

/**
 * SSE ids follow the log's safe read order, (transaction_id, position), not position alone:
 * positions are taken at insert and transactions commit out of order, so position order is
 * not the order in which events become visible. One integer carries both parts: the
 * transaction id in the high bits, the event's distance from its transaction's first
 * position in the low ones. Ids then increase monotonically along the stream, and a
 * Last-Event-ID converts back to the exact checkpoint to replay from.
 */
const OFFSET_BITS = 24n;
const OFFSET_MASK = (1n << OFFSET_BITS) - 1n;

/** Appends keep a transaction's positions within this span (the appender's batches are far smaller). */
export const MAX_TRANSACTION_SPAN = Number(OFFSET_MASK);

export function streamId(transactionId: string, position: number, transactionFirstPosition: number): string {
  const offset = BigInt(position - transactionFirstPosition);
  if (offset < 0n || offset > OFFSET_MASK) throw new RangeError(`position ${position} is outside its transaction's span`);
  return ((BigInt(transactionId) << OFFSET_BITS) | offset).toString();
}

const digits = /^\d{1,30}$/;

/** The checkpoint a client's Last-Event-ID stands for; null when it names nothing in this log. */
export async function checkpointOfStreamId(sql: Sql, id: string): Promise<Checkpoint | null> {
  if (!digits.test(id)) return null;
  const value = BigInt(id);
  if (value === 0n) return START;
  const transactionId = (value >> OFFSET_BITS).toString();
  const [row] = await sql<{ first: number | null }[]>`
    select min(position) as first from arrakis.events where transaction_id = ${transactionId}::xid8`;
  if (row?.first == null) return null;
  return { transactionId, position: row.first + Number(value & OFFSET_MASK) };
}

/** The id of a checkpoint the feed has reached: that of the event it names. */
export async function streamIdOfCheckpoint(sql: Sql, at: Checkpoint): Promise<string> {
  if (at.position === 0) return '0';
  const [row] = await sql<{ first: number }[]>`
    select min(position) as first from arrakis.events where transaction_id = ${at.transactionId}::xid8`;
  return streamId(at.transactionId, at.position, row?.first ?? at.position);
}

export const compareCheckpoints = (a: Checkpoint, b: Checkpoint): number => {
  const ax = BigInt(a.transactionId);
  const bx = BigInt(b.transactionId);
  return ax === bx ? a.position - b.position : ax < bx ? -1 : 1;
};
