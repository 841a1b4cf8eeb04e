/** The stored byte ranges of one transcript file, merged, each with when it began and its first event. */
export interface Range {
  start: number;
  end: number;
  /** When the range was first stored (receivedAt): a hole is noticed when the range after it, or before it, arrives. */
  since: string;
  position: number;
}

/**
 * A line stored parsed is measured by writing it again, which can differ from the file by an
 * escape or two (`\u2028`, say); Claude Code's shortest line is longer than this, so a hole
 * below it is such a difference, or blank lines, not a missing line.
 */
export const MIN_HOLE_BYTES = 40;

/** Adds [start, end) to sorted, merged ranges; neighbours closer than MIN_HOLE_BYTES join. */
export function addRange(ranges: readonly Range[], added: Range): Range[] {
  const out: Range[] = [];
  let current = { ...added };
  for (const range of ranges) {
    if (range.end + MIN_HOLE_BYTES <= current.start) out.push(range);
    else if (current.end + MIN_HOLE_BYTES <= range.start) {
      out.push(current);
      current = { ...range };
    } else {
      current = {
        start: Math.min(range.start, current.start),
        end: Math.max(range.end, current.end),
        since: range.since < current.since ? range.since : current.since,
        position: Math.min(range.position, current.position),
      };
    }
  }
  out.push(current);
  return out.sort((a, b) => a.start - b.start);
}

export interface Hole {
  from: number;
  to: number;
  noticedAt: string;
  /** Log positions of the lines either side, for a link to the log around the hole. */
  afterPosition: number | null;
  beforePosition: number;
}

/** The missing ranges between stored ones, and before the first (lines written before capture began). */
export function holes(ranges: readonly Range[]): Hole[] {
  return ranges.flatMap((range, i): Hole[] => {
    const previous = ranges[i - 1];
    if (!previous) return range.start >= MIN_HOLE_BYTES ? [{ from: 0, to: range.start, noticedAt: range.since, afterPosition: null, beforePosition: range.position }] : [];
    const noticedAt = previous.since > range.since ? previous.since : range.since;
    return [{ from: previous.end, to: range.start, noticedAt, afterPosition: previous.position, beforePosition: range.position }];
  });
}
