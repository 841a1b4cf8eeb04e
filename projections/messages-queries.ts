import type { Sql } from '../core/db.js';
import { clampLimit, decodeCursor, encodeCursor } from './conversations-queries.js';
import type { Message } from './messages.js';

export interface MessageListOptions {
  after?: string | null;
  limit?: number;
}

export interface MessagePage {
  items: Array<Message & { key: string }>;
  /**
   * The position after the last item, also on the last page, so a client can poll for what
   * comes next; null only when there are no items and no `after` was given.
   */
  nextCursor: string | null;
  hasMore: boolean;
}

interface Row {
  key: string;
  at: Date;
  seq: number;
  doc: Message;
}

/** A conversation's timeline in order of time, then log position; the key breaks ties between messages of one line. */
export async function listMessages(sql: Sql, sessionId: string, options: MessageListOptions = {}): Promise<MessagePage> {
  const limit = clampLimit(options.limit, 200, 1000);
  const after = options.after ? decodeCursor(options.after, ['time', 'number', 'string'], 'after') : null;
  const rows = await sql<Row[]>`
    select key, at, seq, doc
      from arrakis.proj_messages
     where session_id = ${sessionId}
       ${after ? sql`and (at, seq, key) > (${after[0]!}::timestamptz, ${after[1]!}::bigint, ${after[2]!})` : sql``}
     order by at, seq, key
     limit ${limit + 1}`;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({ ...row.doc, key: row.key })),
    nextCursor: last ? encodeCursor([last.at.toISOString(), last.seq, last.key]) : (options.after ?? null),
    hasMore: rows.length > limit,
  };
}
