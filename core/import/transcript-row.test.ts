import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { canonicalJson, sha256 } from '../canonical.js';
import { transcriptLineEvent, transcriptLineIdentity } from '../transcript-line.js';
import { appendRows } from './row-append.js';
import { transcriptLineRow } from './transcript-row.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const receivedAt = new Date('2026-11-30T12:00:00.000Z');
const context = (offset: number) => ({ path: `/home/dev/.claude/projects/-app/${randomUUID()}.jsonl`, offset, sessionId: randomUUID(), capturedAt: '2026-11-30T11:00:00.000Z' });

// Lines whose text does and does not stand for their parsed value.
const lines = [
  '{"type":"user","timestamp":"2026-11-30T10:01:02.003Z","n":[1,-2,0.5,1e+21,9007199254740991],"s":"a:1.0, [2.50"}',
  '{ "type" : "assistant",\t"n" : 1 }\r',
  '{"type":"x","n":1.0}',
  '{"type":"x","n":[1e3,-0,12345678901234567890]}',
  '{"type":"x","n":1e400}',
  '{"type":"x","s":"caf\\u00e9 \\/ \\ud83d\\ude00","k":1,"k":2,"__proto__":{"a":true}}',
  '{"type":"x","s":"nul \\u0000 and lone \\ud800"}',
  '{"type":"x","d":' + '['.repeat(300) + ']'.repeat(300) + '}',
  '[1,2]',
  '{"type":',
];

describe('transcript rows', () => {
  it('store the payload jsonb the event itself would have, and the same identity', async () => {
    const rows = lines.map((line, i) => transcriptLineRow(line, context(i * 100)));
    expect(await appendRows(db.sql, rows, receivedAt)).toEqual(rows.map(() => 'stored'));
    for (const [i, row] of rows.entries()) {
      const event = transcriptLineEvent(lines[i]!, { ...context(0), path: row.path, offset: row.offset, sessionId: row.sessionId });
      expect(row).toMatchObject({ requestId: event.requestId, contentHash: event.contentHash, type: event.type, sessionId: event.sessionId, capturedAt: event.capturedAt });
      // jsonb's text keeps a number's written form (1.0), which its equality would not tell apart from 1.
      const [stored] = await db.sql<{ same: boolean; payload_json: string | null }[]>`
        select payload::text = ${JSON.stringify(event.payload)}::text::jsonb::text as same, payload_json from arrakis.events where request_id = ${row.requestId}`;
      expect(stored, lines[i]).toEqual({ same: true, payload_json: event.payloadJson });
    }
  });

  it('given an estimated time, mark the lines without one of their own, sent as their text or serialised, and keep their identity', async () => {
    const untimed = ['{"type":"summary","summary":"s","leafUuid":"l"}', '{"type":"x","n":1.0}', '[1]'];
    const timed = lines[0]!;
    const where = (offset: number) => ({ ...context(offset), timeEstimated: true });
    const rows = [...untimed, timed].map((line, i) => transcriptLineRow(line, where(i * 100)));
    expect(rows.map((row) => row.timeEstimated ?? false)).toEqual([true, true, true, false]);
    expect(await appendRows(db.sql, rows, receivedAt)).toEqual(rows.map(() => 'stored'));
    for (const [i, row] of rows.entries()) {
      const shipped = transcriptLineEvent([...untimed, timed][i]!, { ...context(0), path: row.path, offset: row.offset, sessionId: row.sessionId });
      expect(row.requestId).toBe(shipped.requestId);
      const [stored] = await db.sql<{ estimated: boolean | null }[]>`
        select (payload->>'timeEstimated')::boolean as estimated from arrakis.events where request_id = ${row.requestId}`;
      expect(stored!.estimated).toBe(i < untimed.length ? true : null);
    }
  });

  it('send the serialised payload, not the line, to a database that is not UTF-8', () => {
    const line = '{"type":"x","s":"caf\\u00e9"}';
    const where = context(0);
    const event = transcriptLineEvent(line, where);
    expect(transcriptLineRow(line, where).payload).toContain('caf\\u00e9');
    expect(transcriptLineRow(line, where, { ownText: false }).payload).toBe(JSON.stringify(event.payload));
  });

  it('refuse lines nested deeper than 256 levels, whatever their brackets', () => {
    const nested = (levels: number) => `{"type":"x","d":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)},"s":"{{[["}`;
    expect(transcriptLineRow(nested(256), context(0))).toMatchObject({ type: 'transcript.x', error: undefined });
    expect(transcriptLineRow(nested(257), context(0))).toMatchObject({ type: 'transcript.unparsed', error: expect.stringMatching(/nested deeper than 256 levels/) });
  });

  it('keep the identity canonicalJson gave', () => {
    for (const line of [...lines, 'quote " backslash \\ tab \t lone \ud800 emoji 😀 \u2028']) {
      expect(transcriptLineIdentity('a/subagents/b.jsonl', 7, line)).toEqual(sha256(canonicalJson({ file: 'a/subagents/b.jsonl', offset: 7, line })));
    }
    expect(transcriptLineIdentity('s.jsonl', 0, '{"type":"user"}').toString('hex')).toBe(sha256('{"file":"s.jsonl","line":"{\\"type\\":\\"user\\"}","offset":0}').toString('hex'));
  });

  it('are answered as appendEvents answers: duplicates and conflicts by content hash, repeats in a batch included', async () => {
    const first = transcriptLineRow('{"type":"user","n":1}', context(0));
    const repeat = { ...first };
    const other = { ...first, contentHash: sha256('another line') };
    expect(await appendRows(db.sql, [first, repeat], receivedAt)).toEqual(['stored', 'duplicate']);
    expect(await appendRows(db.sql, [other, first], receivedAt)).toEqual(['conflict', 'duplicate']);
    const [count] = await db.sql<{ n: number }[]>`select count(*)::int as n from arrakis.events where request_id = ${first.requestId}`;
    expect(count!.n).toBe(1);
  });
});
