import { rollupTriggers } from '../engine/rollup-triggers.js';

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

export function completenessRollupDdl(table: string): string[] {
  const bare = table.slice(table.indexOf('.') + 1);
  return [
    `create table if not exists ${table}__sessions (session_id text primary key, expected bigint not null, present bigint not null, open bigint not null)`,
    `create index if not exists ${bare}__sessions_open on ${table}__sessions (session_id) where open > 0`,
    ...rollupTriggers(table, { columns: 'session_id, doc', upserts: (source) => upsert(table, source), empty: [`${table}__sessions`] }),
  ];
}
