import { parseObjectLine, plausibleTime } from '../json-line.js';
import { readLines } from './line-reader.js';

/**
 * Finding the time a transcript line without a timestamp of its own takes on import (see
 * transcript-file.ts FileState): the lines' own times, read the way transcriptLineEvent reads
 * them (plausibleTime), so a line counts as timed here exactly when it is there.
 */
export interface Line {
  offset: number;
  bytes: number;
  text: string;
}

const ownTime = (text: string): string | null => {
  const parsed = parseObjectLine(text);
  return 'value' in parsed ? plausibleTime(parsed.value.timestamp) : null;
};

/** The time of the last of the lines that has one, reading back from the end. */
export function lastTimeIn(lines: readonly Line[]): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const time = ownTime(lines[i]!.text);
    if (time) return time;
  }
  return null;
}

/**
 * The first time among `lines`, else in the rest of the file after them (`read` streams it
 * from a byte offset). A file has a timed line among its first few as good as always, so
 * this reads no further than the lines at hand; only a file with no time at all is read to
 * its end, a second time.
 */
export async function firstTimeFrom(lines: readonly Line[], read: (start: number) => AsyncIterable<Buffer>): Promise<string | null> {
  for (const line of lines) {
    const time = ownTime(line.text);
    if (time) return time;
  }
  const last = lines.at(-1);
  for await (const items of readLines(read(last ? last.offset + last.bytes + 1 : 0))) {
    for (const item of items) {
      const time = item.kind === 'line' ? ownTime(item.text) : null;
      if (time) return time;
    }
  }
  return null;
}
