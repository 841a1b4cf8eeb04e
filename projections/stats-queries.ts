import type { Sql } from '../core/db.js';
import type { Priced } from './pricing.js';
import { toolSummary, type ToolStats } from './stats-tool-queries.js';

export type { ToolStats };

/** `tokens.byModel` of the public contract (GET /api/stats and GET /api/conversations/:sessionId). */
export interface ModelTokens {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  costUsd: number;
  /** exact: the price table knows the model id; fallback: priced as its family; unknown: cost not counted. */
  priced: Priced;
}
export type TokensByModel = Record<string, ModelTokens>;

export interface StatsSummary {
  events: { byType: Record<string, number>; byDay: { day: string; count: number }[] };
  tools: ToolStats[];
  /** `unpricedModels`: models counted at cost 0 because the price table does not know them. */
  tokens: { byModel: TokensByModel; unpricedModels: string[] };
  ingestDelayMs: { avg: number | null; max: number | null };
}

// Sums are cast to float8 so that every driver configuration returns numbers, not numeric strings.
const pricedOf = (row: { unknown: number; fallback: number }): Priced => (row.unknown > 0 ? 'unknown' : row.fallback > 0 ? 'fallback' : 'exact');

function byModelOf(rows: readonly (Omit<ModelTokens, 'priced'> & { model: string; unknown: number; fallback: number })[]) {
  const byModel: TokensByModel = {};
  for (const { model, input, output, cacheCreation, cacheRead, costUsd, ...counts } of rows) byModel[model] = { input, output, cacheCreation, cacheRead, costUsd, priced: pricedOf(counts) };
  return { byModel, unpricedModels: rows.filter((row) => row.unknown > 0).map((row) => row.model) };
}

/** Every model's tokens and cost: one row per model of the rollup (stats-rollups.ts), whatever the responses. */
async function tokensByModel(sql: Sql) {
  const rows = await sql<(Omit<ModelTokens, 'priced'> & { model: string; unknown: number; fallback: number })[]>`
    select model, input::float8 as input, output::float8 as output, cache_creation::float8 as "cacheCreation",
           cache_read::float8 as "cacheRead", cost::float8 as "costUsd", unknown::int as unknown, fallback::int as fallback
      from arrakis.proj_stats__models where responses > 0 order by model`;
  return byModelOf(rows);
}

/** One conversation's responses, through the session index: what it holds, not what the log holds. */
async function sessionTokensByModel(sql: Sql, sessionId: string) {
  // A model is as well priced as its worst response: one unpriced response leaves its cost short.
  const rows = await sql<(Omit<ModelTokens, 'priced'> & { model: string; unknown: number; fallback: number })[]>`
    select doc->>'model' as model,
           sum((doc->'usage'->>'input')::float8) as input,
           sum((doc->'usage'->>'output')::float8) as output,
           sum((doc->'usage'->>'cacheCreation')::float8) as "cacheCreation",
           sum((doc->'usage'->>'cacheRead')::float8) as "cacheRead",
           sum((doc->>'costUsd')::float8) as "costUsd",
           count(*) filter (where doc->>'priced' = 'unknown')::int as unknown,
           count(*) filter (where doc->>'priced' = 'fallback')::int as fallback
      from arrakis.proj_stats
     where session_id = ${sessionId} and key like 'response:%'
     group by 1 order by 1`;
  return byModelOf(rows);
}

/** Tokens and cost of one conversation, by model. */
export async function tokensForSession(sql: Sql, sessionId: string): Promise<TokensByModel> {
  return (await sessionTokensByModel(sql, sessionId)).byModel;
}

/**
 * The event counts, by type and by day, and the hook events' ingest delay: one read of the
 * `events:<day>:<type>` documents (a row per day and type, however many events), grouped
 * three ways.
 */
async function eventCounts(sql: Sql) {
  // Hook events only in the delay: a transcript line's time is when it was written, so an
  // import of old transcripts would read as months of delay.
  const rows = await sql<{ by: 'day' | 'delay' | 'type'; value: string | null; count: number | null; sum: number | null; max: number | null }[]>`
    with e as materialized (
      select doc->>'type' as type, doc->>'day' as day, (doc->>'count')::float8 as count,
             (doc->'delay'->>'sumMs')::float8 as sum_ms, (doc->'delay'->>'maxMs')::float8 as max_ms
        from arrakis.proj_stats where key like 'events:%')
    select 'type' as by, type as value, sum(count) as count, null::float8 as sum, null::float8 as max from e group by type
    union all select 'day', day, sum(count), null, null from e group by day
    union all select 'delay', null, sum(count), sum(sum_ms), max(max_ms) from e where type not like 'transcript.%'
    order by 1, 2`;
  const delay = rows.find((row) => row.by === 'delay');
  return {
    events: {
      byType: Object.fromEntries(rows.filter((row) => row.by === 'type').map((row) => [row.value!, row.count!])),
      byDay: rows.filter((row) => row.by === 'day').map((row) => ({ day: row.value!, count: row.count! })),
    },
    ingestDelayMs: { avg: delay?.count ? (delay.sum ?? 0) / delay.count : null, max: delay?.max ?? null },
  };
}

export async function statsSummary(sql: Sql): Promise<StatsSummary> {
  const [{ events, ingestDelayMs }, tools, tokens] = await Promise.all([eventCounts(sql), toolSummary(sql), tokensByModel(sql)]);
  return { events, tools, tokens, ingestDelayMs };
}
