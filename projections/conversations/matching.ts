import type { Sql } from '../../core/db.js';
import { customPlan } from '../custom-plan.js';
import { holdingWords } from '../search/by-words.js';

/**
 * A conversation matches when every word is in its title, in one of its prompts or assistant
 * messages, or in the summary of one of its leaves. One semi-join over the three searches,
 * each served by GIN indexes (an OR would run them as subplans); the expressions and
 * predicates are those of the projections' ddl, verbatim, or the indexes would not serve them.
 * One word is looked up in each conversation's words (search/by-words.ts): a row per
 * conversation that holds it, where the messages' index gives a row per message. Several words
 * must be in one message, which a conversation's words cannot tell, so they go to the messages.
 */
export function matching(sql: Sql, words: string, byConversation: boolean) {
  return sql`and key in (
    select t.key from arrakis.proj_conversations t
     where to_tsvector('simple', coalesce(t.doc->>'title', '')) @@ to_tsquery('simple', ${words})
    union all
    ${byConversation ? holdingWords(sql, words) : sql`select m.session_id from arrakis.proj_messages m
     where m.doc->>'kind' in ('prompt', 'assistant')
       and to_tsvector('simple', coalesce(m.doc->>'text', '')) @@ to_tsquery('simple', ${words})`}
    union all
    select l.key from arrakis.proj_summaries w
      join arrakis.proj_conversations l on l.doc->'bookkeeping'->'leaves' ? w.key
     where to_tsvector('simple', coalesce(w.doc->>'title', '')) @@ to_tsquery('simple', ${words}))`;
}

/** How many of a conversation's newest messages are read to see whether it holds the words. */
const PROBE = 16;
/** How many conversations are checked before the whole page is. */
const FEW = 6;

/**
 * Whether each of the conversations `page` lists (at most a page and one, in the list's order)
 * holds the words in one of its newest prompts or answers. Then the page with the words is the
 * page without them; the usual case for a word in most conversations, which the GIN index
 * would otherwise make the query read from every message that holds it. A sufficient check
 * only: when it fails, the words are matched as usual.
 */
export async function everyOneMatches(sql: Sql, words: string, first: (n: number) => ReturnType<Sql>, n: number): Promise<boolean> {
  // The first few alone, then all: a word that is not in most conversations fails on a few reads.
  return (await confirmed(sql, words, first(Math.min(n, FEW)))) && (n <= FEW || (await confirmed(sql, words, first(n))));
}

async function confirmed(sql: Sql, words: string, page: ReturnType<Sql>): Promise<boolean> {
  const [probe] = await customPlan(sql<Array<{ listed: number; confirmed: number }>>`
    select count(*)::int as listed,
           count(*) filter (where exists (
             select 1 from (select m.doc from arrakis.proj_messages m where m.session_id = p.key order by m.at desc, m.seq desc limit ${PROBE}) m
              where m.doc->>'kind' in ('prompt', 'assistant')
                and to_tsvector('simple', coalesce(m.doc->>'text', '')) @@ to_tsquery('simple', ${words})))::int as confirmed
      from (${page}) p`);
  return probe!.confirmed === probe!.listed;
}

