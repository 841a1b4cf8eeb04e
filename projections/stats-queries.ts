import type { Sql } from '../core/db.js';
import type { ToolDoc } from './stats-tools.js';

/** `tokens.byModel` of the public contract (GET /api/stats and GET /api/conversations/:sessionId). */
export interface ModelTokens {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  costUsd: number;
}
export type TokensByModel = Record<string, ModelTokens>;

export interface ToolStats {
  name: string;
  uses: number;
  failures: number;
  /** failed / (ok + failed); null before any completion. */
  failureRate: number | null;
  avgDurationMs: number | null;
  maxDurationMs: number | null;
}

export interface StatsSummary {
  events: { byType: Record<string, number>; byDay: { day: string; count: number }[] };
  tools: ToolStats[];
  /** `unpricedModels`: models counted at cost 0 because the price table does not know them. */
  tokens: { byModel: TokensByModel; unpricedModels: string[] };
  ingestDelayMs: { avg: number | null; max: number | null };
}

// Sums are cast to float8 so that every driver configuration returns numbers, not numeric strings.
async function tokensByModel(sql: Sql, sessionId?: string) {
  const rows = await sql<(ModelTokens & { model: string; unpriced: boolean })[]>`
    select doc->>'model' as model,
           sum((doc->'usage'->>'input')::float8) as input,
           sum((doc->'usage'->>'output')::float8) as output,
           sum((doc->'usage'->>'cacheCreation')::float8) as "cacheCreation",
           sum((doc->'usage'->>'cacheRead')::float8) as "cacheRead",
           sum((doc->>'costUsd')::float8) as "costUsd",
           bool_or(doc->>'unpriced' is not null) as unpriced
      from arrakis.proj_stats
     where key like 'response:%' ${sessionId === undefined ? sql`` : sql`and session_id = ${sessionId}`}
     group by 1 order by 1`;
  const byModel: TokensByModel = {};
  for (const { model, input, output, cacheCreation, cacheRead, costUsd } of rows) byModel[model] = { input, output, cacheCreation, cacheRead, costUsd };
  return { byModel, unpricedModels: rows.filter((row) => row.unpriced).map((row) => row.model) };
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
    sql<{ doc: ToolDoc }[]>`select doc from arrakis.proj_stats where key like 'tool:%'`,
    tokensByModel(sql),
  ]);
  return {
    events: { byType: Object.fromEntries(byType.map((row) => [row.type, row.count])), byDay },
    tools: tools.map(({ doc }) => toolStats(doc)).sort((a, b) => b.uses - a.uses || a.name.localeCompare(b.name)),
    tokens,
    ingestDelayMs: { avg: delay?.count ? (delay.sum ?? 0) / delay.count : null, max: delay?.max ?? null },
  };
}

export function toolStats(doc: ToolDoc): ToolStats {
  const completions = doc.ok + doc.failed;
  return {
    name: doc.name,
    uses: doc.uses,
    failures: doc.failed,
    failureRate: completions === 0 ? null : doc.failed / completions,
    avgDurationMs: doc.duration.count === 0 ? null : doc.duration.sumMs / doc.duration.count,
    maxDurationMs: doc.duration.count === 0 ? null : doc.duration.maxMs,
  };
}
