import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilReadable } from '../../core/event-store.js';
import { hookLogRequestId } from '../../core/hook-log-line.js';
import { startProjector } from '../../projections/engine/projector.js';
import { allProjections } from '../../projections/index.js';
import { post, testApp, testKeys } from '../../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';

let db: TestDatabase;
let app: ReturnType<typeof testApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  app = testApp(db.sql);
});
afterAll(() => db.drop());

const file = '/home/dev/.claude/arrakis/logs/capture-2026-11-25.log';
const at = (s: number) => new Date(Date.UTC(2026, 10, 25, 10, 0, s)).toISOString();

/** Log lines as the hook writes them, with the byte offsets they have in their file. */
function batch(host: string, lines: Array<Record<string, unknown> | string>, { start = 0, path = file } = {}) {
  let offset = start;
  const entries = lines.map((value) => {
    const line = typeof value === 'string' ? value : JSON.stringify(value);
    const entry = { offset, line };
    offset += Buffer.byteLength(line) + 1;
    return entry;
  });
  return { host, hookVersion: '1.0.0', file: path, lines: entries };
}

const send = async (body: unknown, headers: Record<string, string> = {}) => {
  const response = await app.request('/api/hook-logs', post(typeof body === 'string' ? body : JSON.stringify(body), headers));
  return { status: response.status, body: (await response.json()) as any };
};
const list = async (query = '', key = testKeys.read) => {
  const response = await app.request(`/api/hook-logs${query}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as any };
};

async function project() {
  await untilReadable(db.sql);
  const projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
  await projector.settled();
  await projector.stop();
}

describe('POST /api/hook-logs', () => {
  it('stores each line as a hook.log event once: 201, then 200 with duplicates when resent', async () => {
    const body = batch('ingest-host', [
      { time: at(1), requestId: 'r1', event: 'Stop', sessionId: 'sess-1', outcome: 'spooled', attempts: 3, error: 'connect ECONNREFUSED' },
      '',
      { time: at(2), event: 'Stop', outcome: 'queued', spoolDepth: 2 },
    ]);
    const first = await send(body);
    expect(first).toEqual({ status: 201, body: { lines: 3, stored: 2, duplicates: 0, conflicts: 0 } });
    const again = await send(body);
    expect(again).toEqual({ status: 200, body: { lines: 3, stored: 0, duplicates: 2, conflicts: 0 } });
    const rows = await db.sql<{ request_id: string; type: string; session_id: string; captured_at: Date; client: unknown; payload: any }[]>`
      select request_id, type, session_id, captured_at, client, payload from arrakis.events where type = 'hook.log' order by position`;
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      request_id: hookLogRequestId('ingest-host', file, 0),
      session_id: 'sess-1',
      captured_at: new Date(at(1)),
      client: null,
      payload: { host: 'ingest-host', hookVersion: '1.0.0', file, offset: 0, line: expect.objectContaining({ outcome: 'spooled' }) },
    });
    expect(rows[1]!.session_id).toBe('hook:ingest-host');
  });

  it('counts a line stored before with other text as a conflict without failing the batch', async () => {
    const first = batch('conflict-host', [{ time: at(3), outcome: 'queued' }]);
    await send(first);
    const rewritten = batch('conflict-host', [{ time: at(4), outcome: 'delivered' }, { time: at(5), outcome: 'queued' }]);
    const { status, body } = await send(rewritten);
    expect(status).toBe(201);
    expect(body).toMatchObject({ stored: 1, conflicts: 1 });
  });

  it('takes gzip bodies, as the hook sends large ones', async () => {
    const body = gzipSync(JSON.stringify(batch('gzip-host', [{ time: at(6), outcome: 'delivered' }])));
    const response = await app.request('/api/hook-logs', post(body, { 'content-encoding': 'gzip' }));
    expect(response.status).toBe(201);
  });

  it.each([
    [{ hookVersion: '1', file, lines: [{ offset: 0, line: '{}' }] }, 'host'],
    [{ host: 'h', lines: [{ offset: 0, line: '{}' }] }, 'file'],
    [{ host: 'h', file, lines: [] }, 'lines'],
    [{ host: 'h', file, lines: [{ offset: -1, line: '{}' }] }, 'lines.0.offset'],
    [{ host: 'h', file, lines: [{ offset: 0, line: 42 }] }, 'lines.0.line'],
    [{ host: 'bad\nhost', file, lines: [{ offset: 0, line: '{}' }] }, 'host'],
    [{ host: 'h', file, lines: Array.from({ length: 1001 }, (_, i) => ({ offset: i, line: '{}' })) }, 'lines'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const { status, body: answer } = await send(body);
    expect(status).toBe(400);
    expect(answer).toMatchObject({ error: 'bad_request', issues: expect.arrayContaining([expect.objectContaining({ path: field })]) });
  });

  it('answers malformed bodies and wrong keys with clear 4xx', async () => {
    expect((await send('not json')).status).toBe(400);
    expect((await send('')).status).toBe(400);
    expect((await send('[]')).status).toBe(400);
    expect((await send('{}', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await send(batch('h', ['{}']), { authorization: `Bearer ${testKeys.read}` })).status).toBe(403);
    expect((await send(batch('h', ['{}']), { authorization: 'Bearer nope-nope-nope-nope' })).status).toBe(401);
    const tiny = testApp(db.sql, { bodyLimitBytes: 512 });
    const big = await tiny.request('/api/hook-logs', post(JSON.stringify(batch('h', ['x'.repeat(1024)]))));
    expect(big.status).toBe(413);
  });
});

describe('GET /api/hook-logs', () => {
  beforeAll(async () => {
    await send(batch('alpha', [
      { time: at(10), event: 'Stop', sessionId: 's-a', outcome: 'queued', flusher: 'started', spoolDepth: 1 },
      { time: at(11), event: 'Stop', sessionId: '3f2a9c1e-0000-4000-8000-000000000001', outcome: 'spooled', attempts: 3, error: 'read ECONNRESET' },
      { time: at(40), event: 'Stop', sessionId: 's-a', outcome: 'delivered', status: 201, attempts: 4 },
    ]));
    await send(batch('beta', [
      { time: at(20), event: 'PostToolUse', outcome: 'dead-letter', status: 413, attempts: 1, error: '413 body exceeds the limit' },
      { time: at(20), event: 'PreToolUse', outcome: 'delivered', status: 201, attempts: 1 },
    ]));
    await project();
  });

  it('needs the read scope', async () => {
    expect((await list('', testKeys.ingest)).status).toBe(403);
    expect((await list('', testKeys.admin)).status).toBe(200);
  });

  it('lists lines newest first, by time then by offset, and pages with nextCursor', async () => {
    const mine = (items: any[]) => items.filter((i) => ['alpha', 'beta'].includes(i.host)).map((i) => `${i.host}:${i.outcome}`);
    const { body } = await list('?limit=500');
    expect(mine(body.items)).toEqual(['alpha:delivered', 'beta:delivered', 'beta:dead-letter', 'alpha:spooled', 'alpha:queued']);
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const page: { body: any } = await list(`?limit=2${before ? `&before=${before}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((i: any) => i.id));
      before = page.body.nextCursor;
    } while (before);
    expect(seen).toEqual(body.items.map((i: any) => i.id));
  });

  it('filters by host and level, and finds words (as prefixes) in the message and the line', async () => {
    expect((await list('?host=alpha')).body.items.map((i: any) => i.outcome)).toEqual(['delivered', 'spooled', 'queued']);
    expect((await list('?level=error')).body.items).toEqual([
      expect.objectContaining({ host: 'beta', level: 'error', message: 'PostToolUse dead-letter (HTTP 413) after 1 attempt: 413 body exceeds the limit' }),
    ]);
    expect((await list('?level=warn&host=alpha')).body.items.map((i: any) => i.outcome)).toEqual(['spooled']);
    expect((await list('?q=econnres')).body.items.map((i: any) => i.host)).toEqual(['alpha']);
    expect((await list('?q=started')).body.items.map((i: any) => i.outcome)).toEqual(['queued']);
    expect((await list('?q=PreToolUse%20delivered')).body.items.map((i: any) => i.event)).toEqual(['PreToolUse']);
    expect((await list('?q=3f2a9c1e-0000-4000-8000-000000000001')).body.items.map((i: any) => i.outcome)).toEqual(['spooled']);
    expect((await list('?q=%27%26%7C!(')).body.items.length).toBeGreaterThan(0);
    expect((await list('?host=nobody')).body).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    ['?level=fatal', 'level'],
    ['?limit=0', 'limit'],
    ['?limit=abc', 'limit'],
    ['?before=garbage', 'before'],
    [`?before=${Buffer.from(JSON.stringify(['not a time', 1, 'k'])).toString('base64url')}`, 'before'],
  ])('%s: 400 naming %s', async (query, field) => {
    const { status, body } = await list(query);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'bad_request', issues: [expect.objectContaining({ path: field })] });
  });
});
