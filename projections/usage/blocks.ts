import type { Block } from './report.js';

/** One hour of the hourly rollup, summed over the filter's slices. */
export interface HourBucket {
  hour: Date;
  firstAt: Date;
  lastAt: Date;
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  cost: number;
  responses: number;
  models: string[];
}

const HOUR = 3_600_000;
/** Claude's usage limits reset five hours after the first message of a block. */
export const BLOCK_MS = 5 * HOUR;

const floorHour = (at: Date) => new Date(Math.floor(at.getTime() / HOUR) * HOUR);
const tokens = (b: Pick<HourBucket, 'input' | 'output' | 'cacheCreation' | 'cacheRead'>) => b.input + b.output + b.cacheCreation + b.cacheRead;

/**
 * ccusage's session blocks over hourly buckets (oldest first): a block starts at the hour of
 * its first response and lasts five hours; a response past its end, or five hours after the
 * one before, starts the next, with a gap block between when they are that far apart. A
 * block's end is on the hour, so every response of an hour falls in the same block: the
 * hourly rollup gives ccusage's blocks exactly, the times of each hour's first and last response
 * standing in for the responses between.
 */
export function sessionBlocks(buckets: readonly HourBucket[], now: Date): Block[] {
  const blocks: Block[] = [];
  let current: HourBucket[] = [];
  for (const bucket of buckets) {
    const start = current[0] && floorHour(current[0].firstAt);
    const last = current.at(-1);
    if (start && last) {
      const pastEnd = bucket.firstAt.getTime() - start.getTime() > BLOCK_MS;
      const afterGap = bucket.firstAt.getTime() - last.lastAt.getTime() > BLOCK_MS;
      if (pastEnd || afterGap) {
        blocks.push(blockOf(current, now));
        if (afterGap) blocks.push(gapBlock(last.lastAt, bucket.firstAt));
        current = [];
      }
    }
    current.push(bucket);
  }
  if (current.length > 0) blocks.push(blockOf(current, now));
  return blocks;
}

function blockOf(buckets: readonly HourBucket[], now: Date): Block {
  const start = floorHour(buckets[0]!.firstAt);
  const end = new Date(start.getTime() + BLOCK_MS);
  const first = buckets[0]!.firstAt;
  const last = buckets.at(-1)!.lastAt;
  const sum = (pick: (b: HourBucket) => number) => buckets.reduce((all, b) => all + pick(b), 0);
  const counts = { input: sum((b) => b.input), output: sum((b) => b.output), cacheCreation: sum((b) => b.cacheCreation), cacheRead: sum((b) => b.cacheRead) };
  const costUSD = sum((b) => b.cost);
  const isActive = now.getTime() - last.getTime() < BLOCK_MS && now < end;
  const totalTokens = tokens(counts);
  const minutes = (last.getTime() - first.getTime()) / 60_000;
  const burnRate = isActive && minutes > 0
    ? { tokensPerMinute: totalTokens / minutes, tokensPerMinuteForIndicator: (counts.input + counts.output) / minutes, costPerHour: (costUSD / minutes) * 60 }
    : null;
  const remainingMinutes = Math.max(0, (end.getTime() - now.getTime()) / 60_000);
  return {
    id: start.toISOString(),
    startTime: start.toISOString(),
    endTime: end.toISOString(),
    actualEndTime: last.toISOString(),
    isActive,
    isGap: false,
    entries: sum((b) => b.responses),
    tokenCounts: { inputTokens: counts.input, outputTokens: counts.output, cacheCreationInputTokens: counts.cacheCreation, cacheReadInputTokens: counts.cacheRead },
    totalTokens,
    costUSD,
    models: [...new Set(buckets.flatMap((b) => b.models))],
    burnRate,
    // ccusage rounds the projection: tokens and minutes whole, dollars to the cent.
    projection: burnRate
      ? {
          totalTokens: Math.round(totalTokens + burnRate.tokensPerMinute * remainingMinutes),
          totalCost: Math.round((costUSD + (burnRate.costPerHour / 60) * remainingMinutes) * 100) / 100,
          remainingMinutes: Math.round(remainingMinutes),
        }
      : null,
  };
}

function gapBlock(lastActivity: Date, next: Date): Block {
  const start = new Date(lastActivity.getTime() + BLOCK_MS);
  return {
    id: `gap-${start.toISOString()}`,
    startTime: start.toISOString(),
    endTime: next.toISOString(),
    actualEndTime: null,
    isActive: false,
    isGap: true,
    entries: 0,
    tokenCounts: { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
    totalTokens: 0,
    costUSD: 0,
    models: [],
    burnRate: null,
    projection: null,
  };
}
