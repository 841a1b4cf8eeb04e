import type { Sql } from '../../core/db.js';
import type { StatsSummary, TokensByModel } from '../../projections/stats-queries.js';
import { mergeTools, toolStats } from '../../projections/stats-tool-queries.js';
import type { ToolDoc, ToolTotals } from '../../projections/stats-tools.js';

/**
 * GET /api/stats as it was computed before the rollups (stats version 2): every response and
 * tool use document summed on each call. Kept to check the rollups against, and to time.
 */
export async function scannedTokens(sql: Sql): Promise<StatsSummary['tokens']> {
  const rows = await sql<(TokensByModel[string] & { model: string })[]>`
    select doc->>'model' as model,
           sum((doc->'usage'->>'input')::float8) as input,
           sum((doc->'usage'->>'output')::float8) as output,
           sum((doc->'usage'->>'cacheCreation')::float8) as "cacheCreation",
           sum((doc->'usage'->>'cacheRead')::float8) as "cacheRead",
           sum((doc->>'costUsd')::float8) as "costUsd",
           case when bool_or(doc->>'priced' = 'unknown') then 'unknown'
                when bool_or(doc->>'priced' = 'fallback') then 'fallback' else 'exact' end as priced
      from arrakis.proj_stats
     where key like 'response:%'
     group by 1 order by 1`;
  const byModel: TokensByModel = {};
  for (const { model, input, output, cacheCreation, cacheRead, costUsd, priced } of rows) byModel[model] = { input, output, cacheCreation, cacheRead, costUsd, priced };
  return { byModel, unpricedModels: rows.filter((row) => row.priced === 'unknown').map((row) => row.model) };
}

export async function scannedTools(sql: Sql): Promise<StatsSummary['tools']> {
  const [byId, legacy] = await Promise.all([
    sql<{ name: string; uses: number; ok: number; failed: number; count: number; sumMs: number | null; maxMs: number | null }[]>`
      select doc->>'name' as name, count(*)::int as uses,
             count(*) filter (where doc->>'failed' = 'false')::int as ok,
             count(*) filter (where doc->>'failed' = 'true')::int as failed,
             count(doc->'durationMs')::int as count,
             sum((doc->>'durationMs')::float8) as "sumMs", max((doc->>'durationMs')::float8) as "maxMs"
        from arrakis.proj_stats where key like 'tooluse:%' and doc ? 'name' group by 1`,
    sql<{ doc: ToolDoc }[]>`
      select l.doc from arrakis.proj_stats l
       where l.key like 'tool:%'
         and not exists (select 1 from arrakis.proj_stats u
                          where u.session_id = l.session_id and u.key like 'tooluse:%' and u.doc->>'name' = l.doc->>'name')`,
  ]);
  const rows: ToolTotals[] = byId.map(({ name, uses, ok, failed, count, sumMs, maxMs }) => ({
    name, uses, ok, failed, duration: { count, sumMs: sumMs ?? 0, maxMs: maxMs ?? 0 },
  }));
  return mergeTools([...rows, ...legacy.map(({ doc }) => doc)])
    .map(toolStats)
    .sort((a, b) => b.uses - a.uses || a.name.localeCompare(b.name));
}

/**
 * Money and durations are summed as float8 in the scan and as numeric (exact) in the rollups:
 * the two agree to the last few bits. Rounded to 12 significant digits, they are equal.
 */
export function comparable<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v)) as T;
}

/** The whole of GET /api/stats as version 2 computed it (the events part is the same today). */
export async function scannedSummary(sql: Sql): Promise<StatsSummary> {
  const [byType, byDay, [delay], tools, tokens] = await Promise.all([
    sql<{ type: string; count: number }[]>`
      select doc->>'type' as type, sum((doc->>'count')::float8) as count
        from arrakis.proj_stats where key like 'events:%' group by 1 order by 1`,
    sql<{ day: string; count: number }[]>`
      select doc->>'day' as day, sum((doc->>'count')::float8) as count
        from arrakis.proj_stats where key like 'events:%' group by 1 order by 1`,
    sql<{ count: number | null; sum: number | null; max: number | null }[]>`
      select sum((doc->>'count')::float8) as count, sum((doc->'delay'->>'sumMs')::float8) as sum,
             max((doc->'delay'->>'maxMs')::float8) as max
        from arrakis.proj_stats where key like 'events:%' and doc->>'type' not like 'transcript.%'`,
    scannedTools(sql),
    scannedTokens(sql),
  ]);
  return {
    events: { byType: Object.fromEntries(byType.map((row) => [row.type, row.count])), byDay },
    tools,
    tokens,
    ingestDelayMs: { avg: delay?.count ? (delay.sum ?? 0) / delay.count : null, max: delay?.max ?? null },
  };
}
