import { describe, expect, it } from 'vitest';
import { lineOffsets } from '../transcript-line.js';
import { readLines, type LineItem } from './line-reader.js';

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function items(text: string, size: number, maxLineBytes?: number): Promise<LineItem[]> {
  const found: LineItem[] = [];
  for await (const batch of readLines(chunked(Buffer.from(text), size), maxLineBytes === undefined ? {} : { maxLineBytes })) found.push(...batch);
  return found;
}

// Multi-byte characters (2, 3 and 4 bytes), a CRLF line and a blank line.
const lines = ['{"a":"é"}', '{"b":"日本語"}\r', '', '{"c":"🦀🦀"}', '"x"'];
const text = `${lines.join('\n')}\n`;

describe('readLines', () => {
  it('gives the byte offsets the hook computes, however the bytes are chunked', async () => {
    const expected = lineOffsets(0, lines).map((offset, i) => ({ kind: 'line', offset, bytes: Buffer.byteLength(lines[i]!), text: lines[i] }));
    // Chunks of 1 and 3 bytes split lines, newlines and characters at every possible point.
    for (const size of [1, 2, 3, 7, 1024]) expect(await items(text, size)).toEqual(expected);
  });

  it('reports bytes after the last newline as an unfinished line, not as a line', async () => {
    const found = await items(`${text}{"half":`, 4);
    expect(found.at(-1)).toEqual({ kind: 'partial', offset: Buffer.byteLength(text), bytes: 8 });
    expect(found.filter((item) => item.kind === 'line')).toHaveLength(lines.length);
    expect((await items(text, 4)).some((item) => item.kind === 'partial')).toBe(false);
  });

  it('skips a line longer than the limit without holding it, and reads on', async () => {
    const long = 'x'.repeat(50);
    const found = await items(`{"a":1}\n${long}\n{"b":2}\n${long}`, 6, 20);
    expect(found).toEqual([
      { kind: 'line', offset: 0, bytes: 7, text: '{"a":1}' },
      { kind: 'oversized', offset: 8, bytes: 50 },
      { kind: 'line', offset: 59, bytes: 7, text: '{"b":2}' },
      { kind: 'partial', offset: 67, bytes: 50 },
    ]);
  });

  it('decodes invalid UTF-8 the way the hook does (U+FFFD) and keeps exact byte offsets', async () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xc3]), Buffer.from('"}\n{"b":1}\n')]);
    const found: LineItem[] = [];
    for await (const batch of readLines(chunked(bytes, 5))) found.push(...batch);
    expect(found).toEqual([
      { kind: 'line', offset: 0, bytes: 10, text: bytes.subarray(0, 10).toString('utf8') },
      { kind: 'line', offset: 11, bytes: 7, text: '{"b":1}' },
    ]);
  });
});
