import type { Sql } from '../../core/db.js';
import type postgres from 'postgres';
import { dimensions, hourlyWhere, UTC } from './filter.js';
import { BLOCK_MS, sessionBlocks, type HourBucket } from './blocks.js';
import type { BlockReport, UsageFilter } from './report.js';

export interface BlockOptions extends UsageFilter {
  /** Only the block under way, if any. */
  active?: boolean;
  /** Only blocks of the last three days (ccusage's --recent). */
  recent?: boolean;
  now?: Date;
}

const DAY = 86_400_000;
// A run of blocks with no five-hour gap is followed back at most this far.
const MAX_LOOKBACK_DAYS = 64;

async function buckets(sql: Sql, where: postgres.PendingQuery<postgres.Row[]>): Promise<HourBucket[]> {
  return sql<HourBucket[]>`
    select h.hour, min(h.first_at) as "firstAt", max(h.last_at) as "lastAt",
           sum(h.input)::float8 as input, sum(h.output)::float8 as output, sum(h.cache_creation)::float8 as "cacheCreation",
           sum(h.cache_read)::float8 as "cacheRead", sum(h.cost)::float8 as cost, sum(h.responses)::int as responses,
           array_agg(distinct h.model) as models
      from arrakis.proj_usage__hourly h where ${where} and h.responses > 0
     group by h.hour order by h.hour`;
}

/**
 * Hours back from `now`: a block's start depends on the blocks before it, back to the last
 * gap, so the window widens until it starts with one (or holds nothing before its last days).
 */
async function recentBuckets(sql: Sql, filter: UsageFilter, now: Date, days: number): Promise<HourBucket[]> {
  for (let window = days; ; window *= 2) {
    const from = new Date(now.getTime() - window * DAY);
    const rows = await buckets(sql, sql`h.hour >= ${from} ${dimensions(sql, filter, 'h')}`);
    const first = rows[0];
    const settled = !first || first.firstAt.getTime() - from.getTime() > BLOCK_MS;
    if (settled || window >= MAX_LOOKBACK_DAYS) return rows;
  }
}

/** ccusage's `blocks` report: every block in the range, or the recent or active ones. */
export async function blockUsage(sql: Sql, options: BlockOptions = {}): Promise<BlockReport> {
  const now = options.now ?? new Date();
  const windowed = options.active || options.recent;
  const rows = windowed && !options.since ? await recentBuckets(sql, options, now, 1) : await buckets(sql, hourlyWhere(sql, options));
  let blocks = sessionBlocks(rows, now);
  if (options.recent) blocks = blocks.filter((b) => new Date(b.startTime).getTime() >= now.getTime() - 3 * DAY || b.isActive);
  if (options.active) blocks = blocks.filter((b) => b.isActive);
  return { blocks, timezone: options.tz ?? UTC };
}
