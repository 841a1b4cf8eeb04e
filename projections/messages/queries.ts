import type { Sql } from '../../core/db.js';
import { clampLimit, decodeCursor, encodeCursor } from '../cursors.js';
import type { Message } from './index.js';
import { foldPairs, PAIR_REACH_MS, type Keyed } from './pairing.js';
import { runsOf, sidechainsOf } from '../sidechains/index.js';

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

export interface Row {
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
  return { items: await itemsOf(sql, sessionId, page), nextCursor: last ? cursorOf(last) : (options.after ?? null), hasMore: rows.length > limit };
}

export const cursorOf = (row: Row): string => encodeCursor([row.at.toISOString(), row.seq, row.key]);

/** A page's documents as the timeline shows them: sidechain runs nested, prompts paired. */
export async function itemsOf(sql: Sql, sessionId: string, page: Row[]): Promise<Array<Message & { key: string }>> {
  const items = await withRuns(sql, sessionId, page.map((row): Keyed => ({ ...row.doc, key: row.key })));
  return foldPairs(items, await pairable(sql, sessionId, items));
}

/** The prompts and compaction markers near a page that has some: what its hooks and lines may pair with. */
async function pairable(sql: Sql, sessionId: string, items: Keyed[]): Promise<Keyed[]> {
  const times = items.filter((m) => m.kind === 'prompt' || m.kind === 'compaction').map((m) => Date.parse(m.at));
  if (times.length === 0) return [];
  const from = new Date(Math.min(...times) - PAIR_REACH_MS);
  const to = new Date(Math.max(...times) + PAIR_REACH_MS);
  const rows = await sql<Array<{ key: string; doc: Message }>>`
    select key, doc
      from arrakis.proj_messages
     where session_id = ${sessionId} and at between ${from} and ${to}
       and (key like 'prompt:%' or key like 'compaction:%')`;
  return rows.map((row) => ({ ...row.doc, key: row.key }));
}

/** 1.0.x sidechain lines nest in their run, and the Task call that started it links to it. */
async function withRuns(sql: Sql, sessionId: string, items: Keyed[]): Promise<Keyed[]> {
  const old = items.some((m) => m.lineUuid || (m.kind === 'tool' && !m.childAgentId && (m.toolName === 'Task' || m.toolName === 'Agent')));
  if (!old) return items;
  const { runOfLine, runOfTask } = runsOf(await sidechainsOf(sql, sessionId));
  return items.map((m) => {
    const agentId = m.lineUuid ? runOfLine.get(m.lineUuid) : undefined;
    const childAgentId = m.kind === 'tool' && !m.childAgentId && m.toolUseId ? runOfTask.get(m.toolUseId) : undefined;
    return agentId || childAgentId ? Object.assign({}, m, agentId ? { agentId } : {}, childAgentId ? { childAgentId } : {}) : m;
  });
}
