import type { Sql } from '../../core/db.js';
import { PROMPT_PAIR_MS } from '../messages/pairing.js';
import { queryWords } from '../text-query.js';

/** What GET /api/search takes and answers, and the parts of its query that do not depend on where the hits come from. */

export interface SearchOptions {
  q: string;
  limit?: number;
  cursor?: string | null;
  project?: string | null;
}

export interface SearchHit {
  sessionId: string;
  /** The conversation's title as the list shows it (a summary's when that outranks its own). */
  title: string | null;
  project: string | null;
  /** The message's time; for a title hit, the conversation's last activity. */
  at: string;
  /** `title` when the conversation's title matched, else the matching message's kind. */
  kind: 'title' | 'prompt' | 'assistant';
  /** The message's key in `/api/conversations/:sessionId/messages`; null for a title hit. */
  key: string | null;
  /** A few words around the matches, each matched word as `**word**`, fragments joined by ` … `. */
  snippet: string;
}

export interface SearchPage {
  items: SearchHit[];
  nextCursor: string | null;
}

/**
 * A cheap test no text that matches the words fails, for scans that compute each row's
 * tsvector (a session's messages read in time order): the 'simple' configuration's lexemes
 * are lower-cased pieces of the text, so a text that lacks a word, in any case, holds no
 * lexeme it prefixes. Only for the words the parser keeps whole (ASCII letters and digits).
 */
export function holdsEachWord(sql: Sql, q: string, text: ReturnType<Sql>) {
  const whole = queryWords(q).filter((word) => /^[a-z0-9]+$/.test(word));
  return whole.reduce((tests, word) => sql`${tests} and ${text} ilike ${`%${word}%`}`, sql``);
}

/**
 * A prompt is stored twice, from its UserPromptSubmit hook and its transcript line, paired
 * only when read (messages/pairing.ts). The hook's copy is left out when a typed line of that
 * session holds its text within the pairing window: one probe of the (session_id, at) index,
 * made only for hook copies.
 */
export function pairedHook(sql: Sql) {
  return sql`and not (m.key like 'prompt:%:hook-%' and exists (
    select 1 from arrakis.proj_messages l
     where l.session_id = m.session_id
       and l.at between m.at - ${`${PROMPT_PAIR_MS} milliseconds`}::interval and m.at + ${`${PROMPT_PAIR_MS} milliseconds`}::interval
       and l.key like 'prompt:%' and l.key not like 'prompt:%:hook-%' and l.doc ? 'typed'
       and position(regexp_replace(m.text, '\\s+', '', 'g') in regexp_replace(l.doc->>'text', '\\s+', '', 'g')) > 0))`;
}
