import type { Sql } from '../core/db.js';
import type { ToolDoc, ToolTotals } from './stats-tools.js';

/** One entry of `tools` in GET /api/stats. */
export interface ToolStats {
  name: string;
  uses: number;
  failures: number;
  /** failed / (ok + failed); null before any completion. */
  failureRate: number | null;
  avgDurationMs: number | null;
  maxDurationMs: number | null;
}

/**
 * Every tool, most used first. Two reads, neither of which grows with the tool uses:
 * - the tool rollup (stats-rollups.ts: one row per tool, kept by the document table's
 *   triggers), each tool's longest duration taken from the `_tool_duration` index;
 * - the id-less hook counts (`tool:<session>:<name>`, only sessions from before Claude Code
 *   2.0.43 have any, through the key prefix index), left out where the same session's
 *   transcript already counts that tool by id (the `_tool_session` index): those lines tell
 *   of the same uses, and they carry the ids the hooks lacked.
 */
export async function toolSummary(sql: Sql): Promise<ToolStats[]> {
  const [byId, legacy] = await Promise.all([
    // A document without a name is a tool_result whose tool_use has not arrived: not yet a use.
    sql<{ name: string; uses: number; ok: number; failed: number; count: number; sumMs: number | null; maxMs: number | null }[]>`
      select t.name, t.uses::int as uses, t.ok::int as ok, t.failed::int as failed, t.durations::int as count,
             t.duration_sum::float8 as "sumMs",
             (select max((u.doc->>'durationMs')::float8) from arrakis.proj_stats u
               where u.key like 'tooluse:%' and u.doc->>'name' = t.name) as "maxMs"
        from arrakis.proj_stats__tools t where t.uses > 0`,
    // A scalar subquery, not `not exists`: the planner would turn that into an anti-join
    // hashing every tool use; this probes the `_tool_session` index once per id-less count.
    sql<{ doc: ToolDoc }[]>`
      select l.doc from arrakis.proj_stats l
       where l.key like 'tool:%'
         and (select true from arrakis.proj_stats u
               where u.session_id = l.session_id and u.key like 'tooluse:%' and u.doc->>'name' = l.doc->>'name' limit 1) is null`,
  ]);
  const rows: ToolTotals[] = byId.map(({ name, uses, ok, failed, count, sumMs, maxMs }) => ({
    name,
    uses,
    ok,
    failed,
    duration: { count, sumMs: sumMs ?? 0, maxMs: maxMs ?? 0 },
  }));
  return mergeTools([...rows, ...legacy.map(({ doc }) => doc)])
    .map(toolStats)
    .sort((a, b) => b.uses - a.uses || a.name.localeCompare(b.name));
}

/** The totals of rows naming the same tool, added up. */
export function mergeTools(rows: readonly ToolTotals[]): ToolTotals[] {
  const byName = new Map<string, ToolTotals>();
  for (const row of rows) {
    const t = byName.get(row.name) ?? { name: row.name, uses: 0, ok: 0, failed: 0, duration: { count: 0, sumMs: 0, maxMs: 0 } };
    byName.set(row.name, {
      name: row.name,
      uses: t.uses + row.uses,
      ok: t.ok + row.ok,
      failed: t.failed + row.failed,
      duration: { count: t.duration.count + row.duration.count, sumMs: t.duration.sumMs + row.duration.sumMs, maxMs: Math.max(t.duration.maxMs, row.duration.maxMs) },
    });
  }
  return [...byName.values()];
}

export function toolStats(totals: ToolTotals): ToolStats {
  const completions = totals.ok + totals.failed;
  return {
    name: totals.name,
    uses: totals.uses,
    failures: totals.failed,
    failureRate: completions === 0 ? null : totals.failed / completions,
    avgDurationMs: totals.duration.count === 0 ? null : totals.duration.sumMs / totals.duration.count,
    maxDurationMs: totals.duration.count === 0 ? null : totals.duration.maxMs,
  };
}
