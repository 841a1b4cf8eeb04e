import type { Sql } from '../../core/db.js';
import { clampLimit, decodeCursor } from '../cursors.js';
import { cursorOf, itemsOf, type MessagePage, type Row } from './queries.js';

/** A page that need not start at the beginning: `prevCursor` (as `before`) reads the page ahead of it. */
export interface MessageWindow extends MessagePage {
  prevCursor: string | null;
  hasBefore: boolean;
}

const windowOf = async (sql: Sql, sessionId: string, page: Row[], hasBefore: boolean, hasMore: boolean): Promise<MessageWindow> => ({
  items: await itemsOf(sql, sessionId, page),
  prevCursor: page[0] ? cursorOf(page[0]) : null,
  hasBefore,
  nextCursor: page.at(-1) ? cursorOf(page.at(-1)!) : null,
  hasMore,
});

/**
 * The page holding the message `key` (a deep link's target), so that a reader lands on it
 * without reading the timeline up to it: about a third of the page before it, the rest from it
 * on (fewer before near the start). Null when the session has no such document.
 */
export async function listMessagesAround(sql: Sql, sessionId: string, key: string, limit?: number): Promise<MessageWindow | null> {
  const size = clampLimit(limit, 200, 1000);
  const [target] = await sql<Row[]>`select key, at, seq, doc from arrakis.proj_messages where session_id = ${sessionId} and key = ${key}`;
  if (!target) return null;
  const ahead = Math.floor((size - 1) / 3);
  const at = sql`(${target.at}::timestamptz, ${target.seq}::bigint, ${target.key})`;
  const earlier = await sql<Row[]>`
    select key, at, seq, doc from arrakis.proj_messages
     where session_id = ${sessionId} and (at, seq, key) < ${at}
     order by at desc, seq desc, key desc
     limit ${ahead + 1}`;
  const before = earlier.slice(0, ahead).reverse();
  const rest = size - before.length;
  const later = await sql<Row[]>`
    select key, at, seq, doc from arrakis.proj_messages
     where session_id = ${sessionId} and (at, seq, key) >= ${at}
     order by at, seq, key
     limit ${rest + 1}`;
  return windowOf(sql, sessionId, [...before, ...later.slice(0, rest)], earlier.length > ahead, later.length > rest);
}

/** The `limit` messages just before a cursor, in order: reading a timeline backwards from a deep link's page. */
export async function listMessagesBefore(sql: Sql, sessionId: string, before: string, limit?: number): Promise<MessageWindow> {
  const size = clampLimit(limit, 200, 1000);
  const [at, seq, key] = decodeCursor(before, ['time', 'number', 'string'], 'before');
  const rows = await sql<Row[]>`
    select key, at, seq, doc from arrakis.proj_messages
     where session_id = ${sessionId} and (at, seq, key) < (${at!}::timestamptz, ${seq!}::bigint, ${key!})
     order by at desc, seq desc, key desc
     limit ${size + 1}`;
  // The cursor was a message's own, so something follows the page.
  return windowOf(sql, sessionId, rows.slice(0, size).reverse(), rows.length > size, true);
}
