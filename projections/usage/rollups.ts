import { rollupTriggers } from '../engine/rollup-triggers.js';

/**
 * The usage rollups: sums of the response documents by UTC hour (with model, project and
 * host), by session (with model), and each session's cost alone (the conversation list's
 * order by cost walks its index), so that a report reads O(buckets) rows however many
 * responses the log holds. They are kept by statement triggers on the generation's document
 * table, in the statement that writes the documents and moves the checkpoint: a response's
 * old row is taken out and its new row put in, so a response whose last line raises its usage
 * (or whose first line arrives late and moves it to another hour) is counted once, where it
 * now belongs. Tokens are bigint and money numeric, so taking out what was put in is exact.
 *
 * Two writers at once (a rebuild's catch-up beside the serving slot's, or partitions) cannot
 * lose an addition: ON CONFLICT DO UPDATE adds to the row as last committed. Each upsert
 * takes its rows in key order, and the three tables in the same order, so two single-
 * statement commits locking the same buckets wait for each other instead of deadlocking.
 *
 * Side tables and functions of a generation are named `<table>__<suffix>` (see tables.ts:
 * they are dropped with it and viewed as `arrakis.proj_usage__<suffix>` while it serves).
 */

const sums = ['input', 'output', 'cache_creation', 'cache_5m', 'cache_1h', 'cache_read'] as const;
const money = ['cost', 'savings'] as const;

/** One signed contribution per document row: +1 for a row written, -1 for the row it replaced. */
const contributions = (source: string) => `
  select r.sign, r.at, r.session_id, r.doc->>'model' as model, r.doc->>'project' as project, r.doc->>'host' as host,
         r.doc->>'cwd' as cwd,
         r.sign * (r.doc->'tokens'->>'input')::bigint as input,
         r.sign * (r.doc->'tokens'->>'output')::bigint as output,
         r.sign * (r.doc->'tokens'->>'cacheCreation')::bigint as cache_creation,
         r.sign * (r.doc->'tokens'->>'cacheCreation5m')::bigint as cache_5m,
         r.sign * (r.doc->'tokens'->>'cacheCreation1h')::bigint as cache_1h,
         r.sign * (r.doc->'tokens'->>'cacheRead')::bigint as cache_read,
         r.sign * (r.doc->>'costUsd')::numeric as cost,
         r.sign * (r.doc->>'cacheSavingsUsd')::numeric as savings
    from (${source}) r`;

const summed = [...sums, ...money].map((c) => `sum(${c})`).join(', ');
const added = (table: string) => [...sums, ...money].map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ');
const columns = [...sums.map((c) => `${c} bigint not null`), ...money.map((c) => `${c} numeric not null`)].join(', ');
// A response moved out of a bucket leaves its times behind: first and last only widen.
const times = (table: string) =>
  `responses = ${table}.responses + excluded.responses,
   first_at = least(${table}.first_at, excluded.first_at), last_at = greatest(${table}.last_at, excluded.last_at)`;
const timesOf = `sum(sign)::int, min(at) filter (where sign > 0), max(at) filter (where sign > 0)`;

function upserts(table: string, source: string): string {
  const hourly = `${table}__hourly`;
  const sessions = `${table}__sessions`;
  return `
    insert into ${hourly} (hour, model, project, host, ${[...sums, ...money].join(', ')}, responses, first_at, last_at)
    select date_trunc('hour', at, 'UTC'), model, project, host, ${summed}, ${timesOf}
      from (${contributions(source)}) c group by 1, 2, 3, 4 order by 1, 2, 3, 4
    on conflict (hour, model, project, host) do update set ${added(hourly)}, ${times(hourly)};
    insert into ${sessions} (session_id, model, project, cwd, host, ${[...sums, ...money].join(', ')}, responses, first_at, last_at)
    select session_id, model, min(project), min(cwd), min(host), ${summed}, ${timesOf}
      from (${contributions(source)}) c group by 1, 2 order by 1, 2
    on conflict (session_id, model) do update set ${added(sessions)}, ${times(sessions)};
    insert into ${table}__costs (session_id, cost)
    select session_id, sum(cost) from (${contributions(source)}) c group by 1 order by 1
    on conflict (session_id) do update set cost = ${table}__costs.cost + excluded.cost;`;
}

/** DDL of the rollups of document table `table` (schema-qualified), run once when it is indexed. */
export function rollupDdl(table: string): string[] {
  const hourly = `${table}__hourly`;
  const sessions = `${table}__sessions`;
  const bare = table.slice(table.indexOf('.') + 1);
  return [
    `create table if not exists ${hourly} (hour timestamptz not null, model text not null, project text not null, host text not null,
       ${columns}, responses int not null, first_at timestamptz, last_at timestamptz, primary key (hour, model, project, host))`,
    `create table if not exists ${sessions} (session_id text not null, model text not null, project text not null, cwd text, host text not null,
       ${columns}, responses int not null, first_at timestamptz, last_at timestamptz, primary key (session_id, model))`,
    `create index if not exists ${bare}__sessions_last on ${sessions} (last_at)`,
    `create table if not exists ${table}__costs (session_id text primary key, cost numeric not null)`,
    `create index if not exists ${bare}__costs_order on ${table}__costs (cost desc, session_id)`,
    ...rollupTriggers(table, { columns: 'at, session_id, doc', upserts: (source) => upserts(table, source), empty: [hourly] }),
  ];
}
