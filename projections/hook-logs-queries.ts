import type { Sql } from '../core/db.js';
import { clampLimit, decodeCursor, encodeCursor } from './cursors.js';
import type { HookLogDoc } from './hook-logs.js';
import { prefixQuery } from './text-query.js';

export interface HookLogQuery {
  host?: string | null;
  level?: string | null;
  /** Words to find in the line; each matches as a prefix. */
  q?: string | null;
  /** The `nextCursor` of the page before. */
  before?: string | null;
  limit?: number;
}

export interface HookLogPage {
  items: Array<HookLogDoc & { id: string }>;
  nextCursor: string | null;
}

/**
 * The search expression: the readable sentence and the whole line (`->>` of an object is its
 * JSON text). The projection's GIN index is built on this very text, or the planner would not use it.
 */
export const HOOK_LOG_SEARCH = `to_tsvector('simple', coalesce(doc->>'message', '') || ' ' || coalesce(doc->>'line', doc->>'raw', ''))`;

/**
 * Every word as a prefix; or the text as the parser reads it, which is what finds ids such as
 * `3f2a9c1e-0000-4000-…` (the parser keeps `-0000` as a token of its own, minus sign and all).
 */
function matching(sql: Sql, words: string, q: string) {
  const search = sql.unsafe(HOOK_LOG_SEARCH);
  // One tsquery (`||` is its or): the text is computed once per line read, not once per query.
  return sql`and ${search} @@ (to_tsquery('simple', ${words}) || plainto_tsquery('simple', ${q}))`;
}

interface Row {
  key: string;
  at: Date;
  seq: number;
  doc: HookLogDoc;
}

/** How many of the newest lines a search reads (twice a page, at least) before it asks the GIN index instead. */
const WALK = 200;

/**
 * Newest line first, in the order the hooks wrote them (time, then offset in the file);
 * keyset pagination on (at, seq, key), the order of the projection's `_newest` index (and of
 * `_level`, for one level). With words, so that neither a common nor a rare word reads the
 * whole table: first among the newest two pages' worth of lines (enough for a common word; a line's
 * search text is computed as it is read, which is what makes a long walk dear), and only if
 * they hold less than a page, from the lines the GIN index says match, sorted.
 */
export async function listHookLogs(sql: Sql, options: HookLogQuery = {}): Promise<HookLogPage> {
  const limit = clampLimit(options.limit, 100, 500);
  const before = options.before ? decodeCursor(options.before, ['time', 'number', 'string'], 'before') : null;
  const words = prefixQuery(options.q);
  const filtered = sql`
    select key, at, seq, doc
      from arrakis.proj_hook_logs
     where true
       ${options.host ? sql`and session_id = ${options.host}` : sql``}
       ${options.level ? sql`and doc->>'level' = ${options.level}` : sql``}
       ${before ? sql`and (at, seq, key) < (${before[0]!}::timestamptz, ${before[1]!}::bigint, ${before[2]!})` : sql``}`;
  const newest = sql`order by at desc, seq desc, key desc`;
  const walk = Math.max(WALK, 2 * (limit + 1));
  let rows = await (words
    ? sql<Row[]>`select * from (${filtered} ${newest} limit ${walk}) w where true ${matching(sql, words, options.q!)} ${newest} limit ${limit + 1}`
    : sql<Row[]>`${filtered} ${newest} limit ${limit + 1}`);
  if (words && rows.length <= limit) {
    const [{ walked }] = (await sql`select count(*)::int as walked from (${filtered} limit ${walk}) w`) as unknown as [{ walked: number }];
    if (walked === walk) rows = await sql<Row[]>`with hits as materialized (${filtered} ${matching(sql, words, options.q!)}) select * from hits ${newest} limit ${limit + 1}`;
  }
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({ id: row.key, ...row.doc })),
    nextCursor: rows.length > limit && last ? encodeCursor([last.at.toISOString(), last.seq, last.key]) : null,
  };
}
