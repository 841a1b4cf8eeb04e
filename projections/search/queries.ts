import type { Sql } from '../../core/db.js';
import { shownConversation } from '../conversations/queries.js';
import { clampLimit, decodeCursor, encodeCursor } from '../cursors.js';
import { customPlan } from '../custom-plan.js';
import { newestHolding, unlessNoWords } from './by-words.js';
import { prefixQuery } from '../text-query.js';
import { holdsEachWord, pairedHook, type SearchOptions, type SearchPage, type SearchHit } from './hits.js';

// A short text is shown whole; a long one as up to two fragments around its matches (fragment
// mode trims even a short text's edges, and the default mode starts at the first match).
const SHORT = 300;
const WHOLE = 'StartSel=**, StopSel=**, HighlightAll=true';
const FRAGMENTS = 'StartSel=**, StopSel=**, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "';

interface Row {
  session_id: string;
  key: string | null;
  id: string;
  at: Date;
  kind: SearchHit['kind'];
  snippet: string;
  conversation: { title: string | null; project: string | null } | null;
  /** How many message hits the branch kept (at most a page and one). */
  message_hits: number;
  /** The oldest of them. */
  message_floor: Date | null;
}

/** Most conversations a search reads the hits of, beyond which it asks the GIN index. */
const SINCE_AT_MOST = 400;

/** How many of the newest messages a search reads (four pages' worth, at least) before it asks the GIN index instead. */
const WALK = 200;

/**
 * Hits newest first, keyset-paged on (at, id) where a title hit's id is `title:<session>`.
 * Each branch matches through its GIN index (the expressions and predicates are the
 * projections' ddl, verbatim: see messages.ts and conversations.ts) and keeps only a page;
 * ts_headline, which reparses the whole text, then runs on that page's rows alone. The hook
 * copies of prompts are left out after the matches are sorted (the `offset 0` keeps the check
 * out of the scan), so only those read until a page is full are checked, not every match.
 * Planned for the word at hand each time (custom-plan.ts).
 */
export async function searchHistory(sql: Sql, options: SearchOptions): Promise<SearchPage> {
  const words = prefixQuery(options.q);
  if (!words) return { items: [], nextCursor: null };
  const limit = clampLimit(options.limit, 20, 100);
  const after = options.cursor ? decodeCursor(options.cursor, ['time', 'string']) : null;
  const query = sql`to_tsquery('simple', ${words})`;
  // The `<=` repeats a bound the OR implies, so an index on the time starts at the cursor (the conversation list's cursors do the same).
  const before = (at: ReturnType<Sql>, id: ReturnType<Sql>) =>
    after ? sql`and ${at} <= ${after[0]!}::timestamptz and (${at} < ${after[0]!}::timestamptz or ${id} < ${after[1]!})` : sql``;
  const inProject = (key: ReturnType<Sql>) =>
    options.project ? sql`and exists (select 1 from arrakis.proj_conversations p where p.key = ${key} and p.doc->>'project' = ${options.project})` : sql``;
  // The newest messages (after the cursor) read first, or every message the GIN index matches.
  const newest = (walk: number): ReturnType<Sql> => sql`(select * from arrakis.proj_messages m
     where m.at is not null ${before(sql`m.at`, sql`m.key`)} order by m.at desc, m.key desc limit ${walk})`;
  const walk = Math.max(WALK, 4 * (limit + 1));
  const enough = (found: Row[]) => found.length > 0 && found[0]!.message_hits > limit;
  let rows: Row[] = await hitsFrom(messageHits(newest(walk)));
  // Fewer than a page among the newest: the page may hold older hits. The conversations that
  // hold the words, newest first, bound where those can be; the GIN index finds them otherwise.
  if (!enough(rows)) rows = await unlessNoWords(() => hitsByConversation(), () => Promise.resolve(null)) ?? await hitsFrom(messageHits(sql`arrakis.proj_messages`));
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map((row) => ({
      sessionId: row.session_id,
      title: row.conversation?.title ?? null,
      project: row.conversation?.project ?? null,
      at: row.at.toISOString(),
      kind: row.kind,
      key: row.key,
      snippet: row.snippet,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor([last.at.toISOString(), last.id]) : null,
  };

  /**
   * The hits of the conversations that hold the words, newest first: first of the newest few
   * (fourfold more until they hold a page), then of every one with such a message at or after
   * that page's oldest hit, which no other can have a hit in the page beside. Null when neither
   * settles it in bounds (deep cursors, words mostly in old conversations): the GIN index answers.
   */
  async function hitsByConversation(): Promise<Row[] | null> {
    for (let count = limit + 1; count <= 16 * (limit + 1); count *= 4) {
      const first = await newestHolding(sql, words!, { count, project: options.project });
      const found = await hitsFrom(inSessions(first.sessions));
      if (first.bound === null) return found;
      if (!enough(found)) continue;
      const floor = found[0]!.message_floor!;
      if (floor > first.bound) return found;
      const since = await newestHolding(sql, words!, { count: SINCE_AT_MOST, project: options.project, since: floor });
      return since.bound === null ? hitsFrom(inSessions(since.sessions)) : null;
    }
    return null;
  }

  /**
   * The newest hits among the listed sessions': each session's read from its (session_id, at)
   * index. The fence (`offset 0`) keeps the planner from intersecting the GIN index with each
   * session, which reads every match of the word once per session (9 ms a session at 5M
   * events, against 1 ms).
   */
  function inSessions(sessions: string[]): ReturnType<Sql> {
    return sql`select h.* from unnest(${sessions}::text[]) s(session_id)
      cross join lateral (${messageHits(sql`(select * from arrakis.proj_messages x where x.session_id = s.session_id and x.at is not null order by x.at desc offset 0)`, true)}) h
      order by h.at desc, h.id desc
      limit ${limit + 1}`;
  }

  // Across sessions the hook-copy check waits for the sort (`offset 0`). Within one session, read in
  // time order from its index, it is made as rows are read, so the read stops at a page: ordered by
  // time alone, as the index gives them (the key too would sort the whole session first), and
  // with the hits tied with the last kept, so the caller's order by time and key loses none.
  function messageHits(messages: ReturnType<Sql>, inOrder = false): ReturnType<Sql> {
    const order = inOrder ? sql`m.at desc` : sql`m.at desc, m.key desc`;
    return sql`select m.session_id, m.key, m.id, m.at, m.kind
         from (select m.session_id, m.key, m.key as id, m.at, m.doc->>'kind' as kind, m.doc->>'text' as text
                 from ${messages} m
                where m.doc->>'kind' in ('prompt', 'assistant')
                  ${holdsEachWord(sql, options.q, sql`m.doc->>'text'`)}
                  and to_tsvector('simple', coalesce(m.doc->>'text', '')) @@ ${query}
                  and m.at is not null
                  ${inProject(sql`m.session_id`)}
                  ${before(sql`m.at`, sql`m.key`)}
                order by ${order}
               ${inOrder ? sql`` : sql`offset 0`}) m
        where true ${pairedHook(sql)}
        order by ${order}
        ${inOrder ? sql`fetch first (${limit + 1}) rows with ties` : sql`limit ${limit + 1}`}`;
  }

  /** The page of `messageHits` (at most a page and one, newest first) and the title hits, with their snippets. */
  function hitsFrom(found: ReturnType<Sql>) {
    return customPlan(sql<Row[]>`
    with hits as (
      (${found})
      union all
      (select c.key, null, 'title:' || c.key, c.at, 'title'
         from arrakis.proj_conversations c
        where to_tsvector('simple', coalesce(c.doc->>'title', '')) @@ ${query}
          and c.at is not null
          ${options.project ? sql`and c.doc->>'project' = ${options.project}` : sql``}
          ${before(sql`c.at`, sql`'title:' || c.key`)}
        order by c.at desc, c.key desc
        limit ${limit + 1})
    ), page as (select * from hits order by at desc, id desc limit ${limit + 1})
    select page.session_id, page.key, page.id, page.at, page.kind,
           case when length(x.text) <= ${SHORT} then ts_headline('simple', x.text, ${query}, ${WHOLE})
                else '… ' || ts_headline('simple', x.text, ${query}, ${FRAGMENTS}) || ' …' end as snippet,
           s.doc as conversation, (select count(*)::int from hits where hits.key is not null) as message_hits,
           (select min(hits.at) from hits where hits.key is not null) as message_floor
      from page
      left join arrakis.proj_messages m on m.key = page.key
      left join arrakis.proj_conversations t on page.key is null and t.key = page.session_id
      cross join lateral (select coalesce(case when page.key is null then t.doc->>'title' else m.doc->>'text' end, '') as text) x
      left join lateral (${shownConversation(sql, sql`page.session_id`)}) s on true
     order by page.at desc, page.id desc`);
  }
}
