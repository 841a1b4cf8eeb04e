import { BadRequestError } from '../../core/errors.js';
import type { Sql } from '../../core/db.js';
import type { Conversation } from './index.js';
import { titlePrecedence } from './state.js';
import { clampLimit, decodeCursor, encodeCursor } from '../cursors.js';
import { customPlan } from '../custom-plan.js';
import { unlessNoWords } from '../search/by-words.js';
import { prefixQuery } from '../text-query.js';
import { everyOneMatches, matching } from './matching.js';

/** `costUsd`: what its responses cost (usage/rollups.ts), 0 when none. */
export type ConversationSummary = Omit<Conversation, 'bookkeeping'> & { costUsd: number };

export interface ConversationListOptions {
  limit?: number;
  cursor?: string | null;
  /** Words to find in titles, prompts and assistant text; each matches as a prefix. */
  q?: string | null;
  project?: string | null;
  /** Conversations a hook on this machine (`client.host`) reported on. */
  host?: string | null;
  status?: string | null;
  /** Last activity at or after this instant (inclusive). */
  from?: Date | null;
  /** Last activity before this instant (exclusive), so consecutive ranges never overlap. */
  to?: Date | null;
  /** Newest activity first (the default), or costliest first: then only conversations that used tokens. */
  sort?: 'recent' | 'cost';
}

export interface ConversationPage {
  items: ConversationSummary[];
  nextCursor: string | null;
}

interface Row {
  key: string;
  at: Date;
  cost: string;
  doc: ConversationSummary;
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
export const shownConversation = (sql: Sql, key: ReturnType<Sql>) => sql`
  select ${shown(sql)} as doc from arrakis.proj_conversations c ${summaryOfLeaves(sql)} where c.key = ${key}`;

/**
 * Newest activity first, keyset-paginated on (at desc, key), the order of the table's index;
 * or costliest first on (cost desc, key), walking the cost rollup's index.
 */
export async function listConversations(sql: Sql, options: ConversationListOptions = {}): Promise<ConversationPage> {
  const limit = clampLimit(options.limit, 50, 200);
  const byCost = options.sort === 'cost';
  const after = options.cursor ? decodeCursor(options.cursor, byCost ? ['string', 'string'] : ['time', 'string']) : null;
  const words = prefixQuery(options.q);
  // Each cursor's `<=` repeats a bound its OR implies, so the index scan starts at the cursor: from the OR alone, it read every row before it.
  const filters = sql`
     where at is not null
       ${options.status ? sql`and doc->>'status' = ${options.status}` : sql``}
       ${options.project ? sql`and doc->>'project' = ${options.project}` : sql``}
       ${options.host ? sql`and doc->'hosts' ? ${options.host}` : sql``}
       ${options.from ? sql`and at >= ${options.from}` : sql``}
       ${options.to ? sql`and at < ${options.to}` : sql``}
       ${after ? (byCost ? afterCost(sql, after) : sql`and at <= ${after[0]!}::timestamptz and (at < ${after[0]!}::timestamptz or key > ${after[1]!})`) : sql``}`;
  const order = byCost ? sql`k.cost desc, c.key` : sql`c.at desc, c.key`;
  const costs = byCost ? sql`join arrakis.proj_usage__costs k on k.session_id = c.key` : sql``;
  // The page first, then what `shown` reads for its rows alone: joined before the limit, it was read for every match.
  const listed = (match: ReturnType<typeof matching> | ReturnType<Sql>, q: Sql = sql) => q<Row[]>`
    select c.key, c.at, k.cost::text as cost, ${shown(sql)} as doc
      from (select c.key, c.at, c.doc from arrakis.proj_conversations c ${costs}
             ${filters} ${match}
             order by ${order}
             limit ${limit + 1}) c ${summaryOfLeaves(sql, byCost)}
     order by ${order}`;
  let rows: Row[];
  if (!words) rows = await listed(sql``);
  else if (await everyOneMatches(sql, words, (n) => sql`
      select c.key from arrakis.proj_conversations c ${costs}
       ${filters} order by ${order} limit ${n}`, limit + 1)) rows = await listed(sql``);
  // Planned for the word at hand (custom-plan.ts): the generic plan joined every conversation to every match.
  else {
    const byMessage = () => customPlan(listed(matching(sql, words, false)));
    // A few hundred rows at most: two parallel workers cost more to start (5 ms at 5M events) than they save.
    const byConversation = () => sql.begin(async (tx) => {
      await tx`set local max_parallel_workers_per_gather = 0`;
      return customPlan(listed(matching(sql, words, true), tx as unknown as Sql));
    });
    rows = words.includes('&') ? await byMessage() : await unlessNoWords(byConversation, byMessage);
  }
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => row.doc),
    nextCursor: rows.length > limit && last ? encodeCursor(byCost ? [last.cost, last.key] : [last.at.toISOString(), last.key]) : null,
  };
}

function afterCost(sql: Sql, [cost, key]: Array<string | number>) {
  if (!/^\d+(\.\d+)?$/.test(String(cost))) throw new BadRequestError('invalid cursor', [{ path: 'cursor', message: 'not a cursor this endpoint returned' }]);
  return sql`and k.cost <= ${String(cost)}::numeric and (k.cost < ${String(cost)}::numeric or c.key > ${String(key)})`;
}

export async function getConversation(sql: Sql, sessionId: string): Promise<ConversationSummary | null> {
  const [row] = await sql<Array<{ doc: ConversationSummary }>>`
    ${shownConversation(sql, sql`${sessionId}`)}`;
  return row?.doc ?? null;
}
