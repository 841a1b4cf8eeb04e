const MINUTE_MS = 60_000;

export interface MinuteCount {
  /** The start of the minute, ISO. */
  at: string;
  count: number;
}

export interface MinuteCounts {
  add(n?: number): void;
  /** The last `minutes` minutes, oldest first, the current (partial) minute last; minutes without counts are 0. */
  last(minutes: number): MinuteCount[];
  /** When counting began: minutes before it read 0 for want of data, not for want of events. */
  readonly since: Date;
}

/**
 * Counts per minute for the last `keep` minutes, in memory: a ring of buckets, each
 * remembering which minute it holds, so a slot left over from an earlier lap reads as 0.
 */
export function createMinuteCounts({ keep = 24 * 60, clock = () => new Date() }: { keep?: number; clock?: () => Date } = {}): MinuteCounts {
  const minuteOf = (date: Date) => Math.floor(date.getTime() / MINUTE_MS);
  const minutes = new Array<number>(keep).fill(-1);
  const counts = new Array<number>(keep).fill(0);
  const since = clock();
  return {
    since,
    add(n = 1) {
      const minute = minuteOf(clock());
      const slot = minute % keep;
      if (minutes[slot] !== minute) {
        minutes[slot] = minute;
        counts[slot] = 0;
      }
      counts[slot]! += n;
    },
    last(n) {
      const now = minuteOf(clock());
      return Array.from({ length: Math.min(n, keep) }, (_, i) => {
        const minute = now - Math.min(n, keep) + 1 + i;
        const slot = minute % keep;
        return { at: new Date(minute * MINUTE_MS).toISOString(), count: minutes[slot] === minute ? counts[slot]! : 0 };
      });
    },
  };
}
