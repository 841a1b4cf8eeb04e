/**
 * Per session, the sums of its documents' `expected`, `present` and `open` (evolve.ts), kept
 * like the usage rollups (usage/rollups.ts: statement triggers, old rows out, new rows in), so
 * the overall rate reads one row per session and the sessions with unmet expectations come
 * from an index, whatever the log holds. Rows are upserted in key order, so two commits at
 * once wait for each other rather than deadlock (see usage/rollups.ts).
 */
const contributions = (source: string) => `
  select r.session_id, r.sign * (r.doc->>'expected')::bigint as expected, r.sign * (r.doc->>'present')::bigint as present,
         r.sign * (r.doc->>'open')::bigint as open
    from (${source}) r`;

const upsert = (table: string, source: string) => `
  insert into ${table}__sessions (session_id, expected, present, open)
  select session_id, sum(expected), sum(present), sum(open) from (${contributions(source)}) c where session_id is not null group by 1 order by 1
  on conflict (session_id) do update set expected = ${table}__sessions.expected + excluded.expected,
    present = ${table}__sessions.present + excluded.present, open = ${table}__sessions.open + excluded.open;`;

const rowsOf = (name: string, sign: number) => `select ${sign} as sign, session_id, doc from ${name}`;

export function completenessRollupDdl(table: string): string[] {
  const bare = table.slice(table.indexOf('.') + 1);
  return [
    `create table if not exists ${table}__sessions (session_id text primary key, expected bigint not null, present bigint not null, open bigint not null)`,
    `create index if not exists ${bare}__sessions_open on ${table}__sessions (session_id) where open > 0`,
    `create or replace function ${table}__on_insert() returns trigger language plpgsql as $$
     begin ${upsert(table, rowsOf('new_rows', 1))} return null; end $$`,
    `create or replace function ${table}__on_update() returns trigger language plpgsql as $$
     begin ${upsert(table, `${rowsOf('old_rows', -1)} union all ${rowsOf('new_rows', 1)}`)} return null; end $$`,
    `create or replace trigger ${bare}__rolls_inserts after insert on ${table} referencing new table as new_rows
       for each statement execute function ${table}__on_insert()`,
    `create or replace trigger ${bare}__rolls_updates after update on ${table} referencing old table as old_rows new table as new_rows
       for each statement execute function ${table}__on_update()`,
    `do $$ begin if not exists (select from ${table}__sessions) then ${upsert(table, rowsOf(table, 1))} end if; end $$`,
  ];
}
