import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../core/db.js';
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

const send = (body: unknown, headers: Record<string, string> = {}) =>
  app.request('/api/claude-hooks', post(typeof body === 'string' ? body : JSON.stringify(body), headers));

describe('POST /api/claude-hooks', () => {
  it('stores an event (201), answers a resend as a duplicate (200) and other content as a conflict (409)', async () => {
    const e = envelope({ event: 'SomeFutureEvent', payload: { hook_event_name: 'SomeFutureEvent', brand_new_field: [1, { x: null }] } });
    const created = await send(e, { 'x-request-id': e.requestId });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe(e.requestId);
    const body = (await created.json()) as { position: number };
    expect(body).toEqual({ requestId: e.requestId, position: expect.any(Number), duplicate: false });

    const again = await send({ ...e, client: { attempt: 2 } });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ...body, duplicate: true });

    const conflict = await send({ ...e, payload: { changed: true } });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error: 'conflict', details: { requestId: e.requestId, position: body.position } });

    const [row] = await db.sql`select type, payload from arrakis.events where request_id = ${e.requestId}`;
    expect(row).toEqual({ type: 'SomeFutureEvent', payload: e.payload });
  });

  it('stores an envelope sent 50 times concurrently once, answering all 50 with its position', async () => {
    const e = envelope();
    const answers = await Promise.all(Array.from({ length: 50 }, () => send(e)));
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as Array<{ position: number }>;
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(49).fill(200), 201]);
    expect(new Set(bodies.map((b) => b.position)).size).toBe(1);
    const rows = await db.sql`select position from arrakis.events where request_id = ${e.requestId}`;
    expect(rows.map((r) => r.position)).toEqual([bodies[0]!.position]);
  });

  it('accepts gzip bodies and stores each transcript line once', async () => {
    const sessionId = randomUUID();
    const lines = [JSON.stringify({ type: 'user', sessionId, message: { content: 'hello' } })];
    const transcript = [{ path: `/p/${sessionId}.jsonl`, offset: 0, lines }];
    const res = await app.request('/api/claude-hooks', post(gzipSync(JSON.stringify(envelope({ sessionId, transcript }))), { 'content-encoding': 'gzip' }));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ transcript: { lines: 1, stored: 1, duplicates: 0 } });
    const resent = await send(envelope({ sessionId, transcript }));
    expect(await resent.json()).toMatchObject({ transcript: { lines: 1, stored: 0, duplicates: 1 } });
  });

  it('stores transcript lines whose timestamps Postgres would refuse, with the envelope time instead', async () => {
    const sessionId = randomUUID();
    const odd = ['0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', 'Tue, 25 Nov 2026 10:00:00 GMT+0100', 'not a time'];
    const lines = odd.map((timestamp, i) => JSON.stringify({ type: 'user', sessionId, uuid: `u${i}`, timestamp }));
    const res = await send(envelope({ sessionId, transcript: [{ path: `/p/${sessionId}.jsonl`, offset: 0, lines }] }));
    expect(res.status).toBe(201);
    const rows = await db.sql`select captured_at, payload->'line'->>'timestamp' as raw from arrakis.events
      where session_id = ${sessionId} and type = 'transcript.user' order by position`;
    expect(rows.map((r) => r.raw)).toEqual(odd);
    expect(rows.map((r) => r.captured_at.toISOString())).toEqual([
      '2026-11-25T10:00:00.000Z', '2026-11-25T10:00:00.000Z', '2026-11-25T09:00:00.000Z', '2026-11-25T10:00:00.000Z',
    ]);
  });

  it('stores payloads with NUL characters rather than losing them', async () => {
    const e = envelope({ payload: { tool_response: { stdout: 'bin\u0000ary' } } });
    const res = await send(e);
    expect(res.status).toBe(201);
    const [row] = await db.sql`select payload_json from arrakis.events where request_id = ${e.requestId}`;
    expect(JSON.parse(row!.payload_json)).toEqual(e.payload);
  });

  it('accepts the admin key', async () => {
    expect((await send(envelope(), { authorization: `Bearer ${testKeys.admin}` })).status).toBe(201);
  });
});

describe('bad input gets a 4xx with its reason, never a 5xx', () => {
  const valid = () => JSON.stringify(envelope());
  const cases: Array<[string, () => RequestInit, number, RegExp]> = [
    ['invalid JSON', () => post('{"requestId": '), 400, /not valid JSON/],
    ['an empty body', () => post(''), 400, /empty/],
    ['wrong types', () => post(JSON.stringify({ ...envelope(), requestId: 5, capturedAt: 'yesterday' })), 400, /requestId.*capturedAt/],
    ['missing fields', () => post(JSON.stringify({ payload: {} })), 400, /requestId.*event.*sessionId.*capturedAt/],
    ['a JSON array', () => post('[]'), 400, /invalid envelope/],
    ['a short requestId', () => post(JSON.stringify({ ...envelope(), requestId: 'abc' })), 400, /requestId/],
    ['invalid UTF-8', () => post(Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])), 400, /UTF-8/],
    ['a body over the limit (40 MiB)', () => post(`{"pad":"${'x'.repeat(40 * 1024 * 1024)}"}`), 413, /limit/],
    ['a gzip bomb', () => post(gzipSync(Buffer.alloc(100 * 1024 * 1024, 32)), { 'content-encoding': 'gzip' }), 413, /limit/],
    ['corrupt gzip', () => post(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }), 400, /gzip/],
    ['an unknown encoding', () => post(valid(), { 'content-encoding': 'br' }), 415, /Content-Encoding/],
    ['a wrong content type', () => post(valid(), { 'content-type': 'text/plain' }), 415, /application\/json/],
    ['no content type', () => ({ method: 'POST', headers: { authorization: `Bearer ${testKeys.ingest}` }, body: valid() }), 415, /application\/json/],
    ['no key', () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: valid() }), 401, /key/],
    ['a wrong key', () => post(valid(), { authorization: 'Bearer not-a-key-of-this-server' }), 401, /key/],
    ['the read key', () => post(valid(), { authorization: `Bearer ${testKeys.read}` }), 403, /ingest scope/],
    ['a payload nested 10,000 deep', () => post(JSON.stringify({ ...envelope(), payload: null }).replace('null', `${'['.repeat(10_000)}${']'.repeat(10_000)}`)), 400, /nested deeper/],
  ];

  it.each(cases)('%s', async (_name, init, status, reason) => {
    const res = await app.request('/api/claude-hooks', init());
    expect(res.status).toBe(status);
    const body = (await res.json()) as { message: string };
    expect(body.message).toMatch(reason);
  });

  it('names each offending field', async () => {
    const res = await send({ ...envelope(), sessionId: '', transcript: [{ path: 'x', offset: -1, lines: 'no' }] });
    const { issues } = (await res.json()) as { issues: Array<{ path: string }> };
    expect(issues.map((i: { path: string }) => i.path).sort()).toEqual(['sessionId', 'transcript.0.lines', 'transcript.0.offset']);
  });

  it('answers 503 (so the hook keeps the event) when the database is down', async () => {
    const down = connect('postgres://nobody@127.0.0.1:9/none', { max: 1 });
    const res = await testApp(down).request('/api/claude-hooks', post(JSON.stringify(envelope())));
    expect(res.status).toBe(503);
    await down.end();
  });
});

describe('GET /api/health', () => {
  it('reports the database as up without a key', async () => {
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'healthy', checks: { database: { status: 'up' } } });
  });

  it('is unhealthy (503) when the database cannot be reached', async () => {
    const down = connect('postgres://nobody@127.0.0.1:9/none', { max: 1 });
    const res = await testApp(down).request('/api/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unhealthy', checks: { database: { status: 'down' } } });
    await down.end();
  });
});
