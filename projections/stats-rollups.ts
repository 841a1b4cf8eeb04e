import { rollupTriggers } from './engine/rollup-triggers.js';

/**
 * The stats rollups, so GET /api/stats reads O(models + tools) rows however many responses
 * and tool uses the log holds (kept like the usage rollups, usage/rollups.ts: statement
 * triggers on the generation's document table, in the statement that writes the documents;
 * a document's old row is taken out and its new row put in, so a response whose last line
 * changes its usage or model, or a tool use that learns its name or outcome late, is counted
 * once, where it now belongs):
 *   <table>__models  per model: responses, tokens, cost, and how many were priced `unknown`
 *                    or `fallback` (a model is as well priced as its worst response);
 *   <table>__tools   per tool: uses with an id (`tooluse:` documents that name their tool),
 *                    completions ok and failed, durations counted and summed.
 * Sums are numeric, so taking out what was put in is exact, whatever the values (a token
 * count is any non-negative JSON number). A maximum cannot be taken out, so a tool's longest
 * duration comes from an index instead (`_tool_duration`: one descent per tool), and the
 * id-less hook counts are set against a session's tool uses through `_tool_session`.
 *
 * Each upsert takes its rows in key order, and the two tables in the same order, so two
 * single-statement commits touching the same rows wait for each other rather than deadlock
 * (as usage/rollups.ts does).
 *
 * Side tables and functions of a generation are named `<table>__<suffix>` (tables.ts drops
 * them with it and views them as `arrakis.proj_stats__<suffix>` while it serves).
 */

const modelSums = ['input', 'output', 'cache_creation', 'cache_read'] as const;

const modelContributions = (source: string) => `
  select r.doc->>'model' as model, r.sign as responses,
         r.sign * (r.doc->'usage'->>'input')::numeric as input,
         r.sign * (r.doc->'usage'->>'output')::numeric as output,
         r.sign * (r.doc->'usage'->>'cacheCreation')::numeric as cache_creation,
         r.sign * (r.doc->'usage'->>'cacheRead')::numeric as cache_read,
         r.sign * (r.doc->>'costUsd')::numeric as cost,
         case when r.doc->>'priced' = 'unknown' then r.sign else 0 end as unknown,
         case when r.doc->>'priced' = 'fallback' then r.sign else 0 end as fallback
    from (${source}) r where r.key like 'response:%'`;

const toolContributions = (source: string) => `
  select r.doc->>'name' as name, r.sign as uses,
         case when r.doc->>'failed' = 'false' then r.sign else 0 end as ok,
         case when r.doc->>'failed' = 'true' then r.sign else 0 end as failed,
         case when r.doc ? 'durationMs' then r.sign else 0 end as durations,
         coalesce(r.sign * (r.doc->>'durationMs')::numeric, 0) as duration_sum
    from (${source}) r where r.key like 'tooluse:%' and r.doc ? 'name'`;

const modelColumns = ['responses', ...modelSums, 'cost', 'unknown', 'fallback'] as const;
const toolColumns = ['uses', 'ok', 'failed', 'durations', 'duration_sum'] as const;

const sumsOf = (columns: readonly string[]) => columns.map((c) => `sum(${c})`).join(', ');
const added = (table: string, columns: readonly string[]) => columns.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ');

function upserts(table: string, source: string): string {
  const models = `${table}__models`;
  const tools = `${table}__tools`;
  return `
    insert into ${models} (model, ${modelColumns.join(', ')})
    select model, ${sumsOf(modelColumns)} from (${modelContributions(source)}) c group by 1 order by 1
    on conflict (model) do update set ${added(models, modelColumns)};
    insert into ${tools} (name, ${toolColumns.join(', ')})
    select name, ${sumsOf(toolColumns)} from (${toolContributions(source)}) c group by 1 order by 1
    on conflict (name) do update set ${added(tools, toolColumns)};`;
}

/** DDL of the stats rollups and indexes of document table `table` (schema-qualified), run once when it is indexed. */
export function statsRollupDdl(table: string): string[] {
  const bare = table.slice(table.indexOf('.') + 1);
  const models = `${table}__models`;
  const tools = `${table}__tools`;
  return [
    `create table if not exists ${models} (model text primary key, responses bigint not null, input numeric not null, output numeric not null,
       cache_creation numeric not null, cache_read numeric not null, cost numeric not null, unknown bigint not null, fallback bigint not null)`,
    `create table if not exists ${tools} (name text primary key, uses bigint not null, ok bigint not null, failed bigint not null,
       durations bigint not null, duration_sum numeric not null)`,
    // A tool's longest duration: max() over this index is one descent, not a scan of its uses.
    `create index if not exists ${bare}_tool_duration on ${table} ((doc->>'name'), ((doc->>'durationMs')::float8)) where key like 'tooluse:%'`,
    // Whether a session's transcript already counts a tool by id (the id-less hooks' check).
    `create index if not exists ${bare}_tool_session on ${table} (session_id, (doc->>'name')) where key like 'tooluse:%'`,
    ...rollupTriggers(table, { columns: 'key, doc', upserts: (source) => upserts(table, source), empty: [models, tools] }),
  ];
}
