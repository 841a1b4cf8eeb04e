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
async function tokensByModel(sql: Sql, sessionId?: string) {
  // A model is as well priced as its worst response: one unpriced response leaves its cost short.
  const rows = await sql<(ModelTokens & { model: string })[]>`
    select doc->>'model' as model,
           sum((doc->'usage'->>'input')::float8) as input,
           sum((doc->'usage'->>'output')::float8) as output,
           sum((doc->'usage'->>'cacheCreation')::float8) as "cacheCreation",
           sum((doc->'usage'->>'cacheRead')::float8) as "cacheRead",
           sum((doc->>'costUsd')::float8) as "costUsd",
           case when bool_or(doc->>'priced' = 'unknown') then 'unknown'
                when bool_or(doc->>'priced' = 'fallback') then 'fallback' else 'exact' end as priced
      from arrakis.proj_stats
     where key like 'response:%' ${sessionId === undefined ? sql`` : sql`and session_id = ${sessionId}`}
     group by 1 order by 1`;
  const byModel: TokensByModel = {};
  for (const { model, input, output, cacheCreation, cacheRead, costUsd, priced } of rows) byModel[model] = { input, output, cacheCreation, cacheRead, costUsd, priced };
  return { byModel, unpricedModels: rows.filter((row) => row.priced === 'unknown').map((row) => row.model) };
}

/** Tokens and cost of one conversation, by model. */
export async function tokensForSession(sql: Sql, sessionId: string): Promise<TokensByModel> {
  return (await tokensByModel(sql, sessionId)).byModel;
}

export async function statsSummary(sql: Sql): Promise<StatsSummary> {
  const [byType, byDay, [delay], tools, tokens] = await Promise.all([
    sql<{ type: string; count: number }[]>`
      select doc->>'type' as type, sum((doc->>'count')::float8) as count
        from arrakis.proj_stats where key like 'events:%' group by 1 order by 1`,
    sql<{ day: string; count: number }[]>`
      select doc->>'day' as day, sum((doc->>'count')::float8) as count
        from arrakis.proj_stats where key like 'events:%' group by 1 order by 1`,
    // Hook events only: a transcript line's time is when it was written, so an import of old
    // transcripts would read as months of delay.
    sql<{ count: number | null; sum: number | null; max: number | null }[]>`
      select sum((doc->>'count')::float8) as count, sum((doc->'delay'->>'sumMs')::float8) as sum,
             max((doc->'delay'->>'maxMs')::float8) as max
        from arrakis.proj_stats where key like 'events:%' and doc->>'type' not like 'transcript.%'`,
    toolSummary(sql),
    tokensByModel(sql),
  ]);
  return {
    events: { byType: Object.fromEntries(byType.map((row) => [row.type, row.count])), byDay },
    tools,
    tokens,
    ingestDelayMs: { avg: delay?.count ? (delay.sum ?? 0) / delay.count : null, max: delay?.max ?? null },
  };
}
