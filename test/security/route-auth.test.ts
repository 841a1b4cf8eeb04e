import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../../core/group-commit.js';
import type { Scope } from '../../core/keys.js';
import { createApp } from '../../server/app.js';
import { createSessions, SESSION_COOKIE, SESSION_TTL_SECONDS } from '../../server/session.js';
import { testKeys } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { concrete, OPEN, routesOf, SCOPES } from './routes.js';

let db: TestDatabase;
let uiRoot: string;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  db = await createTestDatabase();
  uiRoot = await mkdtemp(join(tmpdir(), 'arrakis-auth-ui-'));
  await writeFile(join(uiRoot, 'index.html'), '<!doctype html><title>Arrakis</title>');
  app = createApp({ sql: db.sql, appender: createAppender(db.sql), keys: testKeys, uiRoot });
});
afterAll(async () => {
  await db.drop();
  await rm(uiRoot, { recursive: true, force: true });
});

const guarded = () => routesOf(app).filter((route) => !OPEN.has(route));

function send(route: string, headers: Record<string, string> = {}) {
  const { method, path } = concrete(route);
  return app.request(path, { method, headers });
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const cookie = (token: string) => ({ cookie: `${SESSION_COOKIE}=${token}` });

async function expectStatus(route: string, headers: Record<string, string>, status: number) {
  const res = await send(route, headers);
  const body = await res.text();
  expect(res.status, `${route} answered ${body.slice(0, 200)}`).toBe(status);
  expect(JSON.parse(body), route).toMatchObject({ error: status === 401 ? 'unauthorized' : 'forbidden', message: expect.any(String) });
}

describe('every route of the app', () => {
  it('is open or has the scope it needs listed, and every listed route exists', () => {
    const routes = routesOf(app);
    expect(routes.filter((route) => !OPEN.has(route) && !(route in SCOPES))).toEqual([]);
    expect(Object.keys(SCOPES).filter((route) => !routes.includes(route))).toEqual([]);
  });

  it('answers 401 without a key', async () => {
    for (const route of guarded()) await expectStatus(route, {}, 401);
  });

  it('answers 401 to an unknown key or a malformed Authorization header', async () => {
    const malformed = [
      'Bearer',
      'Bearer ',
      `Bearer ${testKeys.admin}x`,
      `Bearer ${testKeys.admin.slice(0, -1)}`,
      `Bearer ${testKeys.admin.toUpperCase()}`,
      `Bearer ${testKeys.admin} ${testKeys.admin}`,
      `Basic ${Buffer.from(`arrakis:${testKeys.admin}`).toString('base64')}`,
      `Token ${testKeys.admin}`,
      testKeys.admin,
    ];
    for (const route of guarded()) for (const authorization of malformed) await expectStatus(route, { authorization }, 401);
  });

  it('answers 403 to a key without the scope: the ingest key on read routes, the read key on admin routes and on ingest', async () => {
    const lacking: Record<Scope, string[]> = { ingest: [testKeys.read], read: [testKeys.ingest], admin: [testKeys.read, testKeys.ingest] };
    for (const route of guarded()) for (const key of lacking[SCOPES[route]!]) await expectStatus(route, bearer(key), 403);
  });

  it('lets the key with the scope (and the admin key, everywhere) past the check', async () => {
    const granted: Record<Scope, string[]> = { ingest: [testKeys.ingest, testKeys.admin], read: [testKeys.read, testKeys.admin], admin: [testKeys.admin] };
    for (const route of guarded()) {
      for (const key of granted[SCOPES[route]!]) {
        const res = await send(route, bearer(key));
        expect([401, 403], `${route} answered ${res.status}`).not.toContain(res.status);
        await res.body?.cancel();
      }
    }
  });

  it('answers 401 to a forged, altered, expired or foreign session cookie', async () => {
    const sessions = createSessions(testKeys);
    const [, expiry, signature] = sessions.issue('read').split('.');
    const monthAgo = Date.now() - (SESSION_TTL_SECONDS + 60) * 1000;
    const forged = [
      `admin.${expiry}.${signature}`,
      `read.${Number(expiry) + 1}.${signature}`,
      // A different last character: replacing it with itself would leave the cookie valid.
      `read.${expiry}.${signature!.slice(0, -1)}${signature!.endsWith('A') ? 'B' : 'A'}`,
      `read.${expiry}.${signature}.extra`,
      'read.99999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      createSessions(testKeys, { now: () => monthAgo }).issue('admin'),
      createSessions({ ...testKeys, admin: 'another-servers-admin-key-0123' }).issue('admin'),
      // Signed with the right secret, but no login may hold the ingest scope.
      sessions.issue('ingest'),
      testKeys.admin,
      '',
    ];
    for (const route of guarded()) for (const token of forged) await expectStatus(route, cookie(token), 401);
  });

  it('takes a valid cookie only for its scope, and never over a bad Authorization header', async () => {
    const sessions = createSessions(testKeys);
    for (const route of guarded()) {
      if (SCOPES[route] !== 'read') await expectStatus(route, cookie(sessions.issue('read')), 403);
      await expectStatus(route, { ...cookie(sessions.issue('admin')), ...bearer('not-a-key-of-this-server') }, 401);
    }
  });

  it('leaves health, login, logout and the UI open', async () => {
    expect((await app.request('/api/health')).status).toBe(200);
    expect((await app.request('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(400);
    expect((await app.request('/api/logout', { method: 'POST' })).status).toBe(200);
    for (const path of ['/', '/conversations/x', '/status']) expect((await app.request(path)).status).toBe(200);
  });
});
