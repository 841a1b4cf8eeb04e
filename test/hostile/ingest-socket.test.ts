import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../../core/group-commit.js';
import { createLogger } from '../../core/log.js';
import { createApp } from '../../server/app.js';
import { listen, type RunningServer } from '../../server/http.js';
import { testKeys } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { envelope } from '../support/events.js';
import { exchange, request, responses } from './raw-http.js';
import { invalidUtf8 } from './strings.js';

/** What `app.request` cannot send: raw bytes on a real socket, and headers that lie about the body. */

const LIMIT = 64 * 1024;

let db: TestDatabase;
let server: RunningServer;
const logged: Array<{ msg: string; path?: string; status?: number }> = [];
beforeAll(async () => {
  db = await createTestDatabase();
  const logger = createLogger({ write: (line) => logged.push(JSON.parse(line)) });
  server = await listen(createApp({ sql: db.sql, appender: createAppender(db.sql), keys: testKeys, logger, bodyLimitBytes: LIMIT }), { port: 0 });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

const ingestHeaders = (length: number | string) => ({
  'Content-Type': 'application/json',
  Authorization: `Bearer ${testKeys.ingest}`,
  'Content-Length': String(length),
  Connection: 'close',
});

const stored = async (requestId: string) => (await db.sql`select 1 from arrakis.events where request_id = ${requestId}`).length;
const ingestLines = () => logged.filter((line) => line.msg === 'request' && line.path === '/api/claude-hooks');

describe('POST /api/claude-hooks on a real socket', () => {
  it('refuses a body with invalid UTF-8 bytes with a JSON 400, whatever the bytes', async () => {
    const text = JSON.stringify(envelope({ requestId: 'raw-utf8-00000001', payload: { prompt: 'MARK' } }));
    const [before, after] = text.split('MARK');
    await fc.assert(
      fc.asyncProperty(fc.array(invalidUtf8, { minLength: 1, maxLength: 4 }), fc.boolean(), async (sequences, inKey) => {
        const bad = Buffer.from(sequences.flatMap((bytes) => [...bytes, 0x78]));
        // Inside a string value, or where a key's name goes.
        const body = inKey ? Buffer.concat([Buffer.from('{"'), bad, Buffer.from(`":1,${text.slice(1)}`)]) : Buffer.concat([Buffer.from(before!), bad, Buffer.from(after!)]);
        const [answer] = responses(await exchange(server.port, request('/api/claude-hooks', ingestHeaders(body.length), body)));
        expect(answer!.status).toBe(400);
        expect(JSON.parse(answer!.body)).toMatchObject({ error: 'bad_request', message: expect.stringMatching(/UTF-8/) });
      }),
      { numRuns: 60 },
    );
    expect(await stored('raw-utf8-00000001')).toBe(0);
  });

  it('answers a Content-Length over the limit with a JSON 413 before any of the body arrives', async () => {
    // The body is never sent: a server that waited for it would never answer.
    const [answer] = responses(await exchange(server.port, request('/api/claude-hooks', ingestHeaders(10 ** 12)), { halfClose: false }));
    expect(answer!.status).toBe(413);
    expect(JSON.parse(answer!.body)).toMatchObject({ error: 'payload_too_large' });
  });

  it('stops reading a chunked body at the limit and answers a JSON 413', async () => {
    const chunk = `4000\r\n${'x'.repeat(0x4000)}\r\n`;
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${testKeys.ingest}`, 'Transfer-Encoding': 'chunked', Connection: 'close' };
    const [answer] = responses(await exchange(server.port, request('/api/claude-hooks', headers, `${chunk.repeat(8)}0\r\n\r\n`)));
    expect(answer!.status).toBe(413);
    expect(JSON.parse(answer!.body)).toMatchObject({ error: 'payload_too_large' });
  });

  it('stores nothing from a body cut short of its Content-Length, and logs it as the client error it is', async () => {
    const text = JSON.stringify(envelope({ requestId: 'raw-cut-short-0001' }));
    const before = ingestLines().length;
    // The client promises 100 more bytes than it sends, then closes its side.
    const answers = responses(await exchange(server.port, request('/api/claude-hooks', ingestHeaders(text.length + 100), text)));
    for (const answer of answers) expect(answer.status).toBe(400);
    // Not a 503 "database unavailable": the connection reset is the client's doing.
    await expect.poll(() => ingestLines().slice(before).map((line) => line.status)).toEqual([400]);
    expect(await stored('raw-cut-short-0001')).toBe(0);
  });

  it('stores nothing from a body longer than its Content-Length, and answers every request on the connection with a 4xx', async () => {
    const text = JSON.stringify(envelope({ requestId: 'raw-runs-over-0001' }));
    // What follows the declared length reads as the start of a next request, which is no HTTP.
    const stream = await exchange(server.port, request('/api/claude-hooks', ingestHeaders(text.length - 2), text));
    const answers = responses(stream);
    expect(answers.length).toBeGreaterThan(0);
    for (const answer of answers) expect(answer.status).toBeGreaterThanOrEqual(400);
    for (const answer of answers) expect(answer.status).toBeLessThan(500);
    expect(await stored('raw-runs-over-0001')).toBe(0);
  });

  it.each([
    ['a Content-Length that is no number', { ...ingestHeaders('12abc') }],
    ['a Content-Length and a Transfer-Encoding', { ...ingestHeaders(5), 'Transfer-Encoding': 'chunked' }],
    ['two different Content-Lengths', { ...ingestHeaders(5), 'content-length': '7' }],
    ['a NUL in a header', { ...ingestHeaders(2), 'X-Request-Id': 'a\u0000b' }],
  ])('answers %s with a 400 and closes the connection', async (_name, headers) => {
    const [answer] = responses(await exchange(server.port, request('/api/claude-hooks', headers, '{}')));
    expect(answer!.status).toBe(400);
  });

  it('is still healthy afterwards, and answered none of it with a 5xx', async () => {
    const health = await fetch(new URL('/api/health', server.url));
    expect(health.status).toBe(200);
    expect(logged.filter((line) => (line.status ?? 0) >= 500)).toEqual([]);
    expect(logged.filter((line) => line.msg !== 'request')).toEqual([]);
  });
});
