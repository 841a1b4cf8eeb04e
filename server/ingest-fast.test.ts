import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from './http.js';
import { fastHandlers } from './ingest-fast.js';
import { createLogger } from '../core/log.js';
import { createAppender } from '../core/group-commit.js';
import { createApp } from './app.js';
import { post, testApp, testKeys } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { envelope } from '../test/support/events.js';

/**
 * listen() serves the ingest routes from server/ingest-fast.ts, app.request() from the Hono
 * routes: every case goes to both, and the answers (status, body, headers) must be the same.
 */
let db: TestDatabase;
let app: ReturnType<typeof testApp>;
let tinyApp: ReturnType<typeof testApp>;
let server: RunningServer;
let tiny: RunningServer;
let servedFast = 0;
/** Counts the requests the node:http handler took, so the comparison cannot pass by Hono answering both. */
function counted(target: ReturnType<typeof testApp>) {
  const fast = fastHandlers.get(target)!;
  fastHandlers.set(target, (incoming, outgoing) => fast(incoming, outgoing) && ++servedFast > 0);
  return target;
}
beforeAll(async () => {
  db = await createTestDatabase();
  app = counted(testApp(db.sql));
  tinyApp = counted(testApp(db.sql, { bodyLimitBytes: 2048 }));
  await new Promise((resolve) => setTimeout(resolve, 10));
  server = await listen(app, { port: 0 });
  tiny = await listen(tinyApp, { port: 0 });
});
afterAll(async () => {
  await tiny.close();
  await server.close();
  await db.drop();
});

interface Seen {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

const transportHeaders = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

async function seen(res: Response): Promise<Seen> {
  const text = await res.text();
  const headers = Object.fromEntries([...res.headers].filter(([name]) => !transportHeaders.has(name)));
  return { status: res.status, body: text === '' ? null : JSON.parse(text), headers };
}

/** Both answers with what differs by nature (positions, assigned request ids) made alike. */
function alike(a: Seen, b: Seen) {
  const norm = (s: Seen) => JSON.parse(JSON.stringify(s).replace(/"position":\d+/g, '"position":0').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'uuid'));
  expect(norm(b)).toEqual(norm(a));
}

const viaHono = async (target: ReturnType<typeof testApp>, path: string, init: RequestInit) => seen(await target.request(path, init));
const viaSocket = async (target: RunningServer, path: string, init: RequestInit) => seen(await fetch(new URL(path.slice(1), target.url), init));

const single = '/api/claude-hooks';
const batchPath = '/api/claude-hooks/batch';
type Case = [name: string, path: string, init: () => RequestInit, small?: boolean];
const cases: Case[] = [
  ['a new envelope', single, () => post(JSON.stringify(envelope()))],
  ['a new envelope with its X-Request-Id', single, () => { const e = envelope(); return post(JSON.stringify(e), { 'x-request-id': e.requestId }); }],
  ['gzip', single, () => post(gzipSync(JSON.stringify(envelope())), { 'content-encoding': 'gzip' })],
  ['invalid JSON', single, () => post('{"requestId": ')],
  ['an empty body', single, () => post('')],
  ['wrong types', single, () => post(JSON.stringify({ ...envelope(), requestId: 5, capturedAt: 'yesterday' }))],
  ['invalid UTF-8', single, () => post(Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]))],
  ['corrupt gzip', single, () => post(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' })],
  ['an unknown encoding', single, () => post(JSON.stringify(envelope()), { 'content-encoding': 'br' })],
  ['a wrong content type', single, () => post(JSON.stringify(envelope()), { 'content-type': 'text/plain' })],
  ['no content type', single, () => ({ method: 'POST', headers: { authorization: `Bearer ${testKeys.ingest}` }, body: '{}' })],
  ['no key', single, () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })],
  ['a wrong key', single, () => post('{}', { authorization: 'Bearer not-a-key-of-this-server' })],
  ['not a bearer key', single, () => post('{}', { authorization: `Basic ${testKeys.ingest}` })],
  ['the read key', single, () => post('{}', { authorization: `Bearer ${testKeys.read}` })],
  ['the admin key', single, () => post(JSON.stringify(envelope()), { authorization: `Bearer ${testKeys.admin}` })],
  ['a payload nested 10,000 deep', single, () => post(JSON.stringify({ ...envelope(), payload: null }).replace('null', `${'['.repeat(10_000)}${']'.repeat(10_000)}`))],
  ['a reserved event name', single, () => post(JSON.stringify(envelope({ event: 'arrakis.rebuild' })))],
  ['a body over the limit', single, () => post(JSON.stringify(envelope({ payload: { pad: 'x'.repeat(4096) } }))), true],
  ['a gzip bomb', single, () => post(gzipSync(Buffer.alloc(1024 * 1024, 32)), { 'content-encoding': 'gzip' }), true],
  ['a batch', batchPath, () => post(JSON.stringify({ envelopes: [envelope(), { requestId: 'short' }, envelope()] }))],
  ['a malformed batch', batchPath, () => post('[]')],
  ['a batch with the read key', batchPath, () => post('{}', { authorization: `Bearer ${testKeys.read}` })],
  ['a batch over the limit', batchPath, () => post(JSON.stringify({ envelopes: [envelope({ payload: { pad: 'x'.repeat(4096) } })] })), true],
];

describe('the ingest routes on node:http answer as the Hono routes do', () => {
  it.each(cases)('%s', async (name, path, init, small) => {
    const hono = await viaHono(small ? tinyApp : app, path, init());
    const before = servedFast;
    const socket = await viaSocket(small ? tiny : server, path, init());
    // Without a key it is Hono's (a session cookie may stand in for one); everything else is the fast path's.
    expect(servedFast - before).toBe(name === 'no key' ? 0 : 1);
    alike(hono, socket);
  });

  it('a resend (200) and a conflict (409)', async () => {
    for (const [send, e] of [[(i: RequestInit) => viaHono(app, single, i), envelope()], [(i: RequestInit) => viaSocket(server, single, i), envelope()]] as const) {
      const first = await send(post(JSON.stringify(e)));
      const again = await send(post(JSON.stringify({ ...e, client: { attempt: 2 } })));
      const conflict = await send(post(JSON.stringify({ ...e, payload: { changed: true } })));
      expect([first.status, again.status, conflict.status]).toEqual([201, 200, 409]);
      expect(again.body).toEqual({ requestId: e.requestId, position: (first.body as { position: number }).position, duplicate: true });
      expect(conflict.body).toMatchObject({ error: 'conflict', details: { requestId: e.requestId } });
    }
  });

  it('refuses a chunked body as it grows past the limit (413), and the connection answers', async () => {
    const url = new URL('api/claude-hooks', tiny.url);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${testKeys.ingest}` } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      for (let i = 0; i < 4; i++) req.write('x'.repeat(1024));
      req.end();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'payload_too_large' });
  });

  it('stores what it answered 201 for, durably: the row is there when the answer arrives', async () => {
    const e = envelope();
    const res = await viaSocket(server, single, post(JSON.stringify(e)));
    expect(res.status).toBe(201);
    const [row] = await db.sql`select position from arrakis.events where request_id = ${e.requestId}`;
    expect(row).toEqual({ position: (res.body as { position: number }).position });
  });

  it('writes the same request log line and counts the same metrics', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({ write: (line) => lines.push(JSON.parse(line)) });
    const logged = () => createApp({ sql: db.sql, appender: createAppender(db.sql), keys: testKeys, logger });
    const [honoApp, fastApp] = [logged(), logged()];
    const fastServer = await listen(fastApp, { port: 0 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const requests = () => [post(JSON.stringify(envelope({ client: { attempt: 3 } }))), post('{}'), post('{}', { authorization: `Bearer ${testKeys.read}` })];
      for (const init of requests()) await honoApp.request(single, init);
      for (const init of requests()) await fetch(new URL('api/claude-hooks', fastServer.url), init);
      await fetch(new URL('api/claude-hooks/batch', fastServer.url), post(JSON.stringify({ envelopes: [envelope()] })));
      await honoApp.request(batchPath, post(JSON.stringify({ envelopes: [envelope()] })));
      const shape = (l: Record<string, unknown>) => ({ ...l, time: 0, requestId: 0, durationMs: 0, position: 0, eventRequestId: 0 });
      const requestLines = lines.filter((l) => l.msg === 'request').map(shape);
      expect(requestLines.slice(3, 6)).toEqual(requestLines.slice(0, 3));
      expect(requestLines[6]).toEqual(requestLines[7]);
      expect(requestLines[0]).toMatchObject({ method: 'POST', path: single, status: 201, attempt: 3, outcome: 'stored' });
      const counters = async (target: ReturnType<typeof testApp>) =>
        (await (await target.request('/metrics', { headers: { authorization: `Bearer ${testKeys.read}` } })).text())
          .split('\n').filter((l) => /^arrakis_(hook_deliveries|ingest_rejected|events_appended)_total/.test(l)).sort();
      const fastCounts = await counters(fastApp);
      expect(fastCounts.length).toBeGreaterThan(2);
      expect(fastCounts).toEqual(await counters(honoApp));
    } finally {
      await fastServer.close();
    }
  });
});
