/**
 * Splits a byte stream into LF-terminated lines, tracking each line's byte offset exactly:
 * the offset of a line is the position of its first byte, as the hook computes it
 * (core/transcript-line.ts `lineOffsets`). Lines are decoded one by one as UTF-8 and keep a
 * trailing CR, like the hook's `split('\n')`. Nothing but the current line is held, so a
 * file of any size streams in constant memory (a line's own size aside).
 */
export type LineItem =
  | { kind: 'line'; offset: number; bytes: number; text: string }
  /** Bytes after the last newline at the end of the stream: a line still being written (whatever its size). */
  | { kind: 'partial'; offset: number; bytes: number }
  /** A line longer than `maxLineBytes`, skipped without being held in memory. */
  | { kind: 'oversized'; offset: number; bytes: number };

/** Above the hook's 24 MiB limit, whose longer lines are left to `arrakis import`. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

const LF = 10;

/** Yields the items found in each chunk together, so a line costs no promise of its own. */
export async function* readLines(source: AsyncIterable<Buffer>, { maxLineBytes = MAX_LINE_BYTES } = {}): AsyncGenerator<LineItem[]> {
  let pieces: Buffer[] = [];
  let pending = 0;
  let lineStart = 0;
  let skipping = false;
  let consumed = 0;
  for await (const chunk of source) {
    const items: LineItem[] = [];
    let from = 0;
    for (let newline = chunk.indexOf(LF); newline >= 0; newline = chunk.indexOf(LF, from)) {
      const bytes = pending + newline - from;
      if (skipping || bytes > maxLineBytes) items.push({ kind: 'oversized', offset: lineStart, bytes });
      else {
        const text = pending === 0 ? chunk.toString('utf8', from, newline) : Buffer.concat([...pieces, chunk.subarray(from, newline)]).toString('utf8');
        items.push({ kind: 'line', offset: lineStart, bytes, text });
      }
      pieces = [];
      pending = 0;
      skipping = false;
      from = newline + 1;
      lineStart = consumed + from;
    }
    if (from < chunk.length) {
      pending += chunk.length - from;
      if (pending > maxLineBytes) {
        skipping = true;
        pieces = [];
      } else {
        // A copy: the stream may reuse the chunk's memory once we return it.
        pieces.push(Buffer.from(chunk.subarray(from)));
      }
    }
    consumed += chunk.length;
    if (items.length > 0) yield items;
  }
  if (pending > 0) yield [{ kind: 'partial', offset: lineStart, bytes: pending }];
}
