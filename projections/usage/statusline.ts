import type { Sql } from '../../core/db.js';
import { blockUsage } from './block-queries.js';
import { UTC } from './filter.js';
import type { StatuslineReport } from './report.js';

/**
 * What a statusline shows, in one call: the session's cost, today's in `tz`, and the block
 * under way. Three primary-key or index range reads; nothing scans the log.
 */
export async function statuslineUsage(sql: Sql, { sessionId, tz = UTC, now = new Date() }: { sessionId?: string; tz?: string; now?: Date }): Promise<StatuslineReport> {
  const [[session], [today], { blocks }] = await Promise.all([
    sessionId
      ? sql<{ cost: number | null }[]>`select sum(cost)::float8 as cost from arrakis.proj_usage__sessions where session_id = ${sessionId}`
      : Promise.resolve([{ cost: null }]),
    sql<{ date: string; cost: number | null }[]>`
      with day as (select date_trunc('day', ${now}::timestamptz at time zone ${tz}) as local)
      select to_char(day.local, 'YYYY-MM-DD') as date, (select sum(h.cost)::float8 from arrakis.proj_usage__hourly h
        where h.hour >= day.local at time zone ${tz} and h.hour < (day.local + interval '1 day') at time zone ${tz}) as cost
        from day`,
    blockUsage(sql, { active: true, now }),
  ]);
  const block = blocks[0];
  return {
    session: sessionId ? { sessionId, costUsd: session?.cost ?? 0 } : null,
    today: { date: today!.date, costUsd: today!.cost ?? 0 },
    block: block
      ? { costUsd: block.costUSD, endTime: block.endTime, remainingMinutes: Math.max(0, Math.round((Date.parse(block.endTime) - now.getTime()) / 60_000)), burnRate: block.burnRate }
      : null,
  };
}
