import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, testKeys } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { createKeyring } from './keyring.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const login = (body: unknown) =>
  testApp(db.sql).request('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const cookieOf = (response: Response) => response.headers.get('set-cookie')!.split(';')[0]!;

describe('POST /api/login', () => {
  it('given the read key, sets an HttpOnly, SameSite=Strict cookie that read routes accept', async () => {
    const response = await login({ key: testKeys.read });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ scope: 'read' });
    const header = response.headers.get('set-cookie')!;
    expect(header).toMatch(/^arrakis_session=/);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Strict/);
    expect(header).not.toContain(testKeys.read);
    const projections = await testApp(db.sql).request('/api/projections', { headers: { cookie: cookieOf(response) } });
    expect(projections.status).toBe(200);
  });

  it('given a read cookie, admin routes still refuse; an admin login may use them', async () => {
    const retry = (cookie: string) => testApp(db.sql).request('/api/projections/conversations/parked/1/retry', { method: 'POST', headers: { cookie } });
    expect((await retry(cookieOf(await login({ key: testKeys.read })))).status).toBe(403);
    expect((await retry(cookieOf(await login({ key: testKeys.admin })))).status).toBe(404);
  });

  it('refuses the ingest key, unknown keys and malformed bodies, without setting a cookie', async () => {
    const ingest = await login({ key: testKeys.ingest });
    expect(ingest.status).toBe(403);
    const unknown = await login({ key: 'not-a-key-of-this-server' });
    expect(unknown.status).toBe(401);
    const malformed = await login({ secret: 1 });
    expect(malformed.status).toBe(400);
    for (const response of [ingest, unknown, malformed]) expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('does not accept a forged, altered or expired cookie', async () => {
    const valid = cookieOf(await login({ key: testKeys.read })).split('=')[1]!;
    const [, expiry, signature] = valid.split('.');
    const forged = [`admin.${expiry}.${signature}`, `read.${Number(expiry) + 1}.${signature}`, 'read.99999999999.AAAA', valid.slice(0, -2)];
    for (const token of forged) {
      const response = await testApp(db.sql).request('/api/projections', { headers: { cookie: `arrakis_session=${token}` } });
      expect(response.status).toBe(401);
    }
    const later = createKeyring(testKeys, { now: () => Date.now() + 31 * 24 * 3600 * 1000 });
    expect(later.sessions.verify(valid)).toBeNull();
    expect(createKeyring(testKeys).sessions.verify(valid)).toBe('read');
  });

  it('GET /api/session tells which scope the cookie holds', async () => {
    const scopeOf = async (key: string) => {
      const cookie = cookieOf(await login({ key }));
      return (await (await testApp(db.sql).request('/api/session', { headers: { cookie } })).json()) as { scope: string };
    };
    expect(await scopeOf(testKeys.read)).toEqual({ scope: 'read' });
    expect(await scopeOf(testKeys.admin)).toEqual({ scope: 'admin' });
    expect((await testApp(db.sql).request('/api/session')).status).toBe(401);
  });

  it('POST /api/logout clears the cookie', async () => {
    const response = await testApp(db.sql).request('/api/logout', { method: 'POST' });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/arrakis_session=;.*Max-Age=0/);
  });
});
