import type { Sql } from '../../core/db.js';
import { BadRequestError } from '../../core/errors.js';
import type { ConversationListOptions, ConversationPage, ConversationSummary } from '../../projections/conversations/queries.js';
import { titlePrecedence } from '../../projections/conversations/state.js';
import { clampLimit, decodeCursor, encodeCursor } from '../../projections/cursors.js';
import { PROMPT_PAIR_MS } from '../../projections/messages/pairing.js';
import { prefixQuery } from '../../projections/text-query.js';
import { type SearchHit, type SearchOptions, type SearchPage } from '../../projections/search/hits.js';

/**
 * The conversation list's `q` and GET /api/search as they were queried before the newest-first
 * walks and custom plans (projections/conversations/queries.ts, projections/search/queries.ts):
 * every message the GIN index matches read, and the hook copies of prompts checked, before the
 * page is taken. Kept to check the new queries' results against, row for row, and to time.
 */
interface Row {
  key: string;
  at: Date;
  cost: string;
  doc: ConversationSummary;
}

/**
 * A conversation matches when every word is in its title, in one of its prompts or assistant
 * messages, or in the summary of one of its leaves. One semi-join over the three searches,
 * each served by GIN indexes (an OR would run them as subplans); the expressions and
 * predicates are those of the projections' ddl, verbatim, or the indexes would not serve them.
 */
function matching(sql: Sql, words: string) {
  return sql`and key in (
    select t.key from arrakis.proj_conversations t
     where to_tsvector('simple', coalesce(t.doc->>'title', '')) @@ to_tsquery('simple', ${words})
    union all
    select m.session_id from arrakis.proj_messages m
     where m.doc->>'kind' in ('prompt', 'assistant')
       and to_tsvector('simple', coalesce(m.doc->>'text', '')) @@ to_tsquery('simple', ${words})
    union all
    select l.key from arrakis.proj_summaries w
      join arrakis.proj_conversations l on l.doc->'bookkeeping'->'leaves' ? w.key
     where to_tsvector('simple', coalesce(w.doc->>'title', '')) @@ to_tsquery('simple', ${words}))`;
}

// The title sources a summary outranks: only a title from one of them gives way to it.
const belowSummary = ['', ...titlePrecedence.slice(titlePrecedence.indexOf('summary') + 1)];

/**
 * The conversation `c` as clients see it: without its bookkeeping, with what it cost
 * (`costUsd`), and titled by the latest summary of one of its leaves when that outranks its
 * own title. Summaries are matched here,
 * not in the document (see summaries/index.ts): per conversation, at most a handful
 * of primary-key reads.
 */
function shown(sql: Sql) {
  return sql`case when s.title is null then c.doc - 'bookkeeping'
    else (c.doc - 'bookkeeping') || jsonb_build_object('title', s.title, 'titleSource', 'summary') end
    || jsonb_build_object('costUsd', coalesce(k.cost, 0)::float8)`;
}

/** What `shown` reads beside `c`: the summary title `s` and the session's cost `k` (usage/rollups.ts). */
function summaryOfLeaves(sql: Sql, costly = false) {
  return sql`${costly ? sql`join` : sql`left join`} arrakis.proj_usage__costs k on k.session_id = c.key
    left join lateral (
    select m.doc->>'title' as title from arrakis.proj_summaries m
     where coalesce(c.doc->>'titleSource', '') in ${sql(belowSummary)}
       and m.key = any(array(select jsonb_array_elements_text(c.doc->'bookkeeping'->'leaves')))
     order by (m.doc->>'position')::bigint desc
     limit 1) s on true`;
}

/** The conversation with key `key` (a column or value) as clients see it, to join laterally as `doc`. */
const shownConversation = (sql: Sql, key: ReturnType<Sql>) => sql`
  select ${shown(sql)} as doc from arrakis.proj_conversations c ${summaryOfLeaves(sql)} where c.key = ${key}`;

/**
 * Newest activity first, keyset-paginated on (at desc, key), the order of the table's index;
 * or costliest first on (cost desc, key), walking the cost rollup's index.
 */
export async function scannedConversations(sql: Sql, options: ConversationListOptions = {}): Promise<ConversationPage> {
  const limit = clampLimit(options.limit, 50, 200);
  const byCost = options.sort === 'cost';
  const after = options.cursor ? decodeCursor(options.cursor, byCost ? ['string', 'string'] : ['time', 'string']) : null;
  const words = prefixQuery(options.q);
  const rows = await sql<Row[]>`
    select c.key, c.at, k.cost::text as cost, ${shown(sql)} as doc
      from arrakis.proj_conversations c ${summaryOfLeaves(sql, byCost)}
     where at is not null
       ${options.status ? sql`and doc->>'status' = ${options.status}` : sql``}
       ${options.project ? sql`and doc->>'project' = ${options.project}` : sql``}
       ${options.host ? sql`and doc->'hosts' ? ${options.host}` : sql``}
       ${options.from ? sql`and at >= ${options.from}` : sql``}
       ${options.to ? sql`and at < ${options.to}` : sql``}
       ${words ? matching(sql, words) : sql``}
       ${after ? (byCost ? afterCost(sql, after) : sql`and (at < ${after[0]!}::timestamptz or (at = ${after[0]!}::timestamptz and key > ${after[1]!}))`) : sql``}
     order by ${byCost ? sql`k.cost desc, c.key` : sql`at desc, key`}
     limit ${limit + 1}`;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => row.doc),
    nextCursor: rows.length > limit && last ? encodeCursor(byCost ? [last.cost, last.key] : [last.at.toISOString(), last.key]) : null,
  };
}

function afterCost(sql: Sql, [cost, key]: Array<string | number>) {
  if (!/^\d+(\.\d+)?$/.test(String(cost))) throw new BadRequestError('invalid cursor', [{ path: 'cursor', message: 'not a cursor this endpoint returned' }]);
  return sql`and (k.cost < ${String(cost)}::numeric or (k.cost = ${String(cost)}::numeric and c.key > ${String(key)}))`;
}
const SHORT = 300;
const WHOLE = 'StartSel=**, StopSel=**, HighlightAll=true';
const FRAGMENTS = 'StartSel=**, StopSel=**, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "';

interface SearchRow {
  session_id: string;
  key: string | null;
  id: string;
  at: Date;
  kind: SearchHit['kind'];
  snippet: string;
  conversation: { title: string | null; project: string | null } | null;
}

/**
 * Hits newest first, keyset-paged on (at, id) where a title hit's id is `title:<session>`.
 * Each branch matches through its GIN index (the expressions and predicates are the
 * projections' ddl, verbatim: see messages.ts and conversations.ts) and keeps only a page;
 * ts_headline, which reparses the whole text, then runs on that page's rows alone.
 */
export async function scannedSearch(sql: Sql, options: SearchOptions): Promise<SearchPage> {
  const words = prefixQuery(options.q);
  if (!words) return { items: [], nextCursor: null };
  const limit = clampLimit(options.limit, 20, 100);
  const after = options.cursor ? decodeCursor(options.cursor, ['time', 'string']) : null;
  const query = sql`to_tsquery('simple', ${words})`;
  const before = (at: ReturnType<Sql>, id: ReturnType<Sql>) =>
    after ? sql`and (${at} < ${after[0]!}::timestamptz or (${at} = ${after[0]!}::timestamptz and ${id} < ${after[1]!}))` : sql``;
  const inProject = (key: ReturnType<Sql>) =>
    options.project ? sql`and exists (select 1 from arrakis.proj_conversations p where p.key = ${key} and p.doc->>'project' = ${options.project})` : sql``;
  const rows = await sql<SearchRow[]>`
    with hits as (
      (select m.session_id, m.key, m.key as id, m.at, m.doc->>'kind' as kind
         from arrakis.proj_messages m
        where m.doc->>'kind' in ('prompt', 'assistant')
          and to_tsvector('simple', coalesce(m.doc->>'text', '')) @@ ${query}
          and m.at is not null
          ${inProject(sql`m.session_id`)}
          ${before(sql`m.at`, sql`m.key`)}
          ${pairedHook(sql)}
        order by m.at desc, m.key desc
        limit ${limit + 1})
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
           s.doc as conversation
      from page
      left join arrakis.proj_messages m on m.key = page.key
      left join arrakis.proj_conversations t on page.key is null and t.key = page.session_id
      cross join lateral (select coalesce(case when page.key is null then t.doc->>'title' else m.doc->>'text' end, '') as text) x
      left join lateral (${shownConversation(sql, sql`page.session_id`)}) s on true
     order by page.at desc, page.id desc`;
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
}

/**
 * A prompt is stored twice, from its UserPromptSubmit hook and its transcript line, paired
 * only when read (messages/pairing.ts). The hook's copy is left out when a typed line of that
 * session holds its text within the pairing window: one probe of the (session_id, at) index,
 * made only for hook copies.
 */
function pairedHook(sql: Sql) {
  return sql`and not (m.key like 'prompt:%:hook-%' and exists (
    select 1 from arrakis.proj_messages l
     where l.session_id = m.session_id
       and l.at between m.at - ${`${PROMPT_PAIR_MS} milliseconds`}::interval and m.at + ${`${PROMPT_PAIR_MS} milliseconds`}::interval
       and l.key like 'prompt:%' and l.key not like 'prompt:%:hook-%' and l.doc ? 'typed'
       and position(regexp_replace(m.doc->>'text', '\\s+', '', 'g') in regexp_replace(l.doc->>'text', '\\s+', '', 'g')) > 0))`;
}
