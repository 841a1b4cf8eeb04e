import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Chunking {
  MAX_CHUNK_LINES: number;
  nextChunk(path: string, stateDir: string): { chunk: { offset: number; lines: string[] } | null; commit(): void };
}
// The hook is plain JavaScript checked by its own tsconfig; this suite sees it through the shape it uses.
const hookModule: string = './transcript.js';
const { MAX_CHUNK_LINES, nextChunk } = (await import(hookModule)) as Chunking;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arrakis-chunks-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('transcript chunks', () => {
  it('given a file of many tiny lines, ships them in chunks of at most MAX_CHUNK_LINES, losing none', async () => {
    const file = join(dir, 'tiny.jsonl');
    const total = 2 * MAX_CHUNK_LINES + 123;
    await writeFile(file, Array.from({ length: total }, (_, i) => `{"n":${i}}\n`).join(''));
    const seen: string[] = [];
    const offsets: number[] = [];
    for (let { chunk, commit } = nextChunk(file, dir); chunk; { chunk, commit } = nextChunk(file, dir)) {
      expect(chunk.lines.length).toBeLessThanOrEqual(MAX_CHUNK_LINES);
      offsets.push(chunk.offset);
      seen.push(...chunk.lines);
      commit();
    }
    expect(seen).toHaveLength(total);
    expect(seen.at(-1)).toBe(`{"n":${total - 1}}`);
    expect(offsets).toHaveLength(3);
  });
});
