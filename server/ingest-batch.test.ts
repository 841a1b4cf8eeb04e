import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, post, testKeys } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { envelope } from '../test/support/events.js';

let db: TestDatabase;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  db = await createTestDatabase();
  app = testApp(db.sql);
});
afterAll(() => db.drop());

const batch = (envelopes: unknown[], headers: Record<string, string> = {}) =>
  app.request('/api/claude-hooks/batch', post(JSON.stringify({ envelopes }), headers));

interface Results {
  results: Array<{ requestId: string | null; status: number; position?: number; duplicate?: boolean; message?: string; issues?: Array<{ path: string }> }>;
}

describe('POST /api/claude-hooks/batch', () => {
  it('answers each envelope on its own: stored, duplicate, conflict, invalid; stores the valid ones in one transaction', async () => {
    const sessionId = randomUUID();
    const before = envelope({ sessionId });
    expect((await app.request('/api/claude-hooks', post(JSON.stringify(before)))).status).toBe(201);
    const fresh = envelope({ sessionId });
    const lines = [JSON.stringify({ type: 'user', sessionId, message: { content: 'hi' } })];
    const withLines = envelope({ sessionId, transcript: [{ path: `/p/${sessionId}.jsonl`, offset: 0, lines }] });
    const res = await batch([
      fresh,
      { ...before, client: { attempt: 2 } },
      { ...before, payload: { changed: true } },
      { ...envelope({ sessionId }), capturedAt: 'yesterday' },
      'not an envelope',
      withLines,
      fresh,
    ]);
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as Results;
    expect(results.map((r) => r.status)).toEqual([201, 200, 409, 400, 400, 201, 200]);
    expect(results[0]).toEqual({ requestId: fresh.requestId, status: 201, position: expect.any(Number), duplicate: false });
    expect(results[1]).toMatchObject({ requestId: before.requestId, duplicate: true });
    expect(results[2]).toMatchObject({ requestId: before.requestId, message: expect.stringMatching(/different content/) });
    expect(results[3]!.issues!.map((i) => i.path)).toEqual(['capturedAt']);
    expect(results[4]).toMatchObject({ requestId: null, message: expect.stringMatching(/invalid envelope/) });
    expect(results[5]).toMatchObject({ transcript: { lines: 1, stored: 1, duplicates: 0 } });
    expect(results[6]).toMatchObject({ requestId: fresh.requestId, position: results[0]!.position, duplicate: true });

    const rows = await db.sql<{ request_id: string; transaction_id: string }[]>`
      select request_id, transaction_id::text from arrakis.events where session_id = ${sessionId} and request_id <> ${before.requestId}`;
    expect(rows).toHaveLength(3); // fresh, withLines and its line
    expect(new Set(rows.map((r) => r.transaction_id)).size).toBe(1);
    const [stored] = await db.sql`select payload from arrakis.events where request_id = ${before.requestId}`;
    expect(stored!.payload).toEqual(before.payload);
  });

  it('answers an empty batch with no results, and a malformed one with 400', async () => {
    expect(await (await batch([])).json()).toEqual({ results: [] });
    const bad = await app.request('/api/claude-hooks/batch', post('[{"requestId":"x"}]'));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ message: expect.stringMatching(/envelopes/) });
    expect((await app.request('/api/claude-hooks/batch', post('{"envelopes": '))).status).toBe(400);
  });

  it('refuses without a key (401) and with the read key (403), storing nothing', async () => {
    const e = envelope();
    const none = await app.request('/api/claude-hooks/batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ envelopes: [e] }) });
    expect(none.status).toBe(401);
    expect((await batch([e], { authorization: `Bearer ${testKeys.read}` })).status).toBe(403);
    expect((await batch([e], { authorization: `Bearer ${testKeys.admin}` })).status).toBe(200);
    expect(await db.sql`select 1 from arrakis.events where request_id = ${e.requestId}`).toHaveLength(1);
  });

  it('refuses a body over the limit (413) and too many envelopes (413), storing nothing', async () => {
    const tiny = testApp(db.sql, { bodyLimitBytes: 4096 });
    const e = envelope({ payload: { pad: 'x'.repeat(5000) } });
    const over = await tiny.request('/api/claude-hooks/batch', post(JSON.stringify({ envelopes: [e] })));
    expect(over.status).toBe(413);
    expect(await over.json()).toMatchObject({ message: expect.stringMatching(/limit/) });
    const many = await batch(Array.from({ length: 1001 }, () => envelope()));
    expect(many.status).toBe(413);
    expect(await many.json()).toMatchObject({ message: expect.stringMatching(/at most 1000 envelopes/) });
    expect(await db.sql`select 1 from arrakis.events where request_id = ${e.requestId}`).toHaveLength(0);
  });

  it('counts each envelope in the delivery metrics', async () => {
    const res = await batch([envelope(), { requestId: 'short' }]);
    expect(res.status).toBe(200);
    const metrics = await app.request('/metrics', { headers: { authorization: `Bearer ${testKeys.read}` } });
    const text = await metrics.text();
    expect(text).toMatch(/arrakis_ingest_rejected_total\{status="400"\} \d+/);
  });
});
