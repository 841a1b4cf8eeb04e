import type { Sql } from '../../core/db.js';
import { classifyPgError } from '../../core/pg-errors.js';
import { customPlan } from '../custom-plan.js';

/**
 * The searches' use of each conversation's words (`arrakis.proj_messages__words`,
 * projections/messages/words.ts): a row per conversation that holds every word somewhere, with
 * the time of its newest prompt or answer.
 */

/**
 * Runs `withWords`, or `without` while the serving generation of the messages projection has
 * no word table yet (one from before it, until the rebuild to it swaps in).
 */
export async function unlessNoWords<T>(withWords: () => Promise<T>, without: () => Promise<T>): Promise<T> {
  try {
    return await withWords();
  } catch (error) {
    if (classifyPgError(error) === 'not_built') return without();
    throw error;
  }
}

/** The conversations that hold every word of `words` (a to_tsquery text) in one of their prompts or answers, or across them. */
export const holdingWords = (sql: Sql, words: string) =>
  sql`select w.session_id from arrakis.proj_messages__words w where w.words @@ to_tsquery('simple', ${words})`;

export interface Candidates {
  /** Session ids, newest word-holding message first. */
  sessions: string[];
  /** The newest such message's time in the first conversation left out; null when none was. */
  bound: Date | null;
}

/**
 * The `count` conversations whose newest prompt or answer is newest among those holding every
 * word (in a project; that message at `since` or later), and the time of the next one's: no
 * message of a conversation left out is newer than `bound`, which is what lets a search stop.
 */
export async function newestHolding(
  sql: Sql,
  words: string,
  { count, project, since }: { count: number; project?: string | null; since?: Date },
): Promise<Candidates> {
  const rows = await customPlan(sql<Array<{ session_id: string; at: Date | null }>>`
    select w.session_id, w.at from arrakis.proj_messages__words w
     where w.words @@ to_tsquery('simple', ${words}) and w.at is not null ${since ? sql`and w.at >= ${since}` : sql``}
       ${project ? sql`and exists (select 1 from arrakis.proj_conversations p where p.key = w.session_id and p.doc->>'project' = ${project})` : sql``}
     order by w.at desc, w.session_id
     limit ${count + 1}`);
  return { sessions: rows.slice(0, count).map((r) => r.session_id), bound: rows.length > count ? rows[count]!.at : null };
}
