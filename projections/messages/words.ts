/**
 * Each conversation's words: `<table>__words` holds, per session, the set of lexemes of its
 * prompts and assistant messages (a stripped tsvector, GIN-indexed) and the time of its newest
 * such message. A word search then finds the conversations that hold a word by reading one row
 * per conversation, where the messages' own GIN index hands back every message that holds it,
 * so a word in one conversation in forty cost a heap fetch per matching message (issue 20).
 *
 * Kept exact by statement triggers, in the statement that writes the documents (as the stats
 * rollups, stats-rollups.ts): new text adds its lexemes; a document whose new text lost a
 * lexeme its old text had has its session's set computed again from the table, so the set
 * never holds a word no message has. `at` only grows (a message's time does not change).
 * A generation indexed after it caught up fills the table from its documents in one pass.
 */

/** The searchable documents and their lexemes: the expression and predicate of the messages' GIN index, verbatim. */
const SEARCHABLE = `doc->>'kind' in ('prompt', 'assistant')`;
const lexemes = (alias: string) => `strip(to_tsvector('simple', coalesce(${alias}.doc->>'text', '')))`;

function addWords(words: string, rows: string): string {
  // Sessions in key order, so two commits touching the same sessions wait rather than deadlock.
  return `insert into ${words} (session_id, at, words)
    select r.session_id, max(r.at), arrakis.lexeme_union(${lexemes('r')})
      from ${rows} r where r.${SEARCHABLE} and r.session_id is not null
     group by r.session_id order by r.session_id
    on conflict (session_id) do update set words = ${words}.words || excluded.words, at = greatest(${words}.at, excluded.at)
     where not (tsvector_to_array(excluded.words) <@ tsvector_to_array(${words}.words)) or excluded.at > ${words}.at or ${words}.at is null;`;
}

function recount(table: string, words: string, sessions: string): string {
  return `update ${words} w set (words, at) = (
      select coalesce(arrakis.lexeme_union(${lexemes('m')}), ''), max(m.at) from ${table} m where m.session_id = w.session_id and m.${SEARCHABLE})
     where w.session_id in (${sessions});`;
}

/** DDL of the word sets of document table `table` (schema-qualified), run once when it is indexed. */
export function wordsDdl(table: string): string[] {
  const bare = table.slice(table.indexOf('.') + 1);
  const words = `${table}__words`;
  // A document whose old text held a lexeme its new text does not (or that stopped being searchable).
  const shrunk = `select distinct o.session_id from old_rows o join new_rows n on n.key = o.key
     where o.${SEARCHABLE} and o.doc->>'text' is distinct from n.doc->>'text'
       and not (tsvector_to_array(${lexemes('o')}) <@ case when n.${SEARCHABLE} then tsvector_to_array(${lexemes('n')}) else '{}' end)`;
  return [
    `create table if not exists ${words} (session_id text primary key, at timestamptz, words tsvector not null)`,
    `create index if not exists ${bare}__words_words on ${words} using gin (words)`,
    `create index if not exists ${bare}__words_at on ${words} (at desc, session_id)`,
    `create or replace function ${table}__words_on_insert() returns trigger language plpgsql as $$
     begin ${addWords(words, 'new_rows')} return null; end $$`,
    `create or replace function ${table}__words_on_update() returns trigger language plpgsql as $$
     begin ${addWords(words, 'new_rows')} ${recount(table, words, shrunk)} return null; end $$`,
    // Created before the table is filled: the trigger's lock keeps writers out until this commits.
    `create or replace trigger ${bare}__words_inserts after insert on ${table} referencing new table as new_rows
       for each statement execute function ${table}__words_on_insert()`,
    `create or replace trigger ${bare}__words_updates after update on ${table} referencing old table as old_rows new table as new_rows
       for each statement execute function ${table}__words_on_update()`,
    `do $$ begin if not exists (select from ${words}) then ${addWords(words, table)} end if; end $$`,
  ];
}
