import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../server/env.js';
import { listen, type RunningServer } from '../server/http.js';
import { testApp, testKeys } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { hookSandbox, runHook, spawnHook } from '../test/support/hook.js';

let db: TestDatabase;
let current: RunningServer;
let older: RunningServer;
let slow: RunningServer;

beforeAll(async () => {
  db = await createTestDatabase();
  current = await listen(testApp(db.sql), { port: 0 });
  // A server from before the batch route: POST …/batch is not found, as Hono answers any unknown path.
  const old = new Hono<AppEnv>();
  old.post('/api/claude-hooks/batch', (c) => c.json({ error: 'not_found', message: `no route for POST ${c.req.path}` }, 404));
  old.route('/', testApp(db.sql));
  older = await listen(old, { port: 0 });
  // The current server, answering each batch a while after committing it: a drain of a few batches
  // then lasts long enough for a kill to land in it, between a commit and its answer too.
  const lagging = new Hono<AppEnv>();
  lagging.use('*', async (_, next) => {
    await next();
    await sleep(40);
  });
  lagging.route('/', testApp(db.sql));
  slow = await listen(lagging, { port: 0 });
});
afterAll(async () => {
  await slow.close();
  await older.close();
  await current.close();
  await db.drop();
});

type Box = Awaited<ReturnType<typeof hookSandbox>>;
const envFor = (box: Box, server: RunningServer, extra: NodeJS.ProcessEnv = {}) =>
  box.env({ CLAUDE_HOOK_API_URL: `${server.url}api/claude-hooks`, CLAUDE_HOOK_API_KEY: testKeys.ingest, ...extra });

/** Writes `count` envelopes into the spool as the hook would (UUIDv7-like names in capture order). */
async function fillSpool(box: Box, sessionId: string, count: number, invalidAt: number[] = []): Promise<string[]> {
  await mkdir(box.queueDir, { recursive: true });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const requestId = `0190${i.toString(16).padStart(4, '0')}-0000-7000-8000-${randomUUID().slice(-12)}`;
    const capturedAt = invalidAt.includes(i) ? 'yesterday' : new Date(Date.UTC(2026, 10, 25, 10, 0, 0, i)).toISOString();
    const envelope = { requestId, event: 'PostToolUse', sessionId, capturedAt, payload: { session_id: sessionId, hook_event_name: 'PostToolUse', i, out: 'x'.repeat(i % 7 * 300) } };
    await writeFile(join(box.queueDir, `${requestId}.json`), JSON.stringify({ envelope, attempts: 0 }));
    ids.push(requestId);
  }
  return ids;
}

// The hook's own log lines ship as hook.log events of the session they speak of: not envelopes.
const stored = (sessionId: string) =>
  db.sql<{ request_id: string; count: number; txns: number }[]>`
    select request_id, count(*)::int as count, count(distinct transaction_id)::int as txns
    from arrakis.events where session_id = ${sessionId} and type <> 'hook.log' group by request_id`;
const transactions = async (sessionId: string) =>
  (await db.sql<{ n: number }[]>`select count(distinct transaction_id)::int as n from arrakis.events where session_id = ${sessionId} and type <> 'hook.log'`)[0]!.n;
const spooled = async (box: Box) => (await readdir(box.queueDir)).filter((n) => n.endsWith('.json'));

describe('the flusher sends the spool in batches', () => {
  it('drains 250 envelopes in a few batch requests, dead-letters exactly the invalid ones and removes exactly the stored ones', async () => {
    const box = await hookSandbox();
    const sessionId = randomUUID();
    const ids = await fillSpool(box, sessionId, 250, [7, 180]);
    const run = await runHook(['--flush'], envFor(box, current));
    expect(run.stdout).toMatch(/delivered 248, dead-lettered 2, left in the spool 0/);
    const rows = await stored(sessionId);
    expect(rows).toHaveLength(248);
    expect(rows.every((r) => r.count === 1)).toBe(true);
    // 100 envelopes a request: three requests, not 248.
    expect(await transactions(sessionId)).toBeLessThanOrEqual(3);
    expect(await spooled(box)).toEqual([]);
    const dead = (await readdir(join(box.queueDir, 'dead'))).sort();
    expect(dead).toEqual([`${ids[7]}.json`, `${ids[180]}.json`]);
    const letter = JSON.parse(await readFile(join(box.queueDir, 'dead', dead[0]!), 'utf8'));
    expect(letter).toMatchObject({ status: 400, reason: expect.stringMatching(/^400 invalid envelope: capturedAt/) });
    await box.cleanup();
  });

  it('falls back to one request per envelope against a server without the batch route', async () => {
    const box = await hookSandbox();
    const sessionId = randomUUID();
    await fillSpool(box, sessionId, 40, [3]);
    const run = await runHook(['--flush'], envFor(box, older));
    expect(run.stdout).toMatch(/delivered 39, dead-lettered 1, left in the spool 0/);
    const rows = await stored(sessionId);
    expect(rows).toHaveLength(39);
    expect(rows.every((r) => r.count === 1)).toBe(true);
    expect(await transactions(sessionId)).toBe(39);
    // The fallback costs no attempt: each envelope went once.
    const [row] = await db.sql`select client from arrakis.events where session_id = ${sessionId} limit 1`;
    expect(row!.client).toMatchObject({ attempt: 1 });
    await box.cleanup();
  });

  it('loses and duplicates nothing when flushers are SIGKILLed mid-batch, against either server', async () => {
    const box = await hookSandbox();
    const sessionId = randomUUID();
    const ids = await fillSpool(box, sessionId, 600);
    for (let i = 0; i < 6; i++) {
      const server = i % 3 === 2 ? older : slow;
      const { child, done } = spawnHook(['--drain'], envFor(box, server, { CLAUDE_HOOK_FLUSHER_IDLE: '100' }));
      await sleep(60 + i * 25);
      child.kill('SIGKILL');
      await done;
      // As if the killed flusher's lock had gone stale: the next one takes over at once.
      await rm(join(box.queueDir, '.drain.lock'), { force: true });
    }
    const partial = (await stored(sessionId)).length;
    const flush = await runHook(['--flush'], envFor(box, current));
    expect(flush.code).toBe(0);
    const rows = await stored(sessionId);
    expect(rows).toHaveLength(600);
    expect(rows.every((r) => r.count === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.request_id))).toEqual(new Set(ids));
    expect(await spooled(box)).toEqual([]);
    expect(await readdir(join(box.queueDir, 'dead')).catch(() => [])).toEqual([]);
    expect(partial).toBeLessThan(600); // the kills did land mid-drain
    await box.cleanup();
  });
});
