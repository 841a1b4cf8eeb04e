import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../core/db.js';
import { createAppender } from '../../core/group-commit.js';
import type { Keys } from '../../core/keys.js';
import { createLogger } from '../../core/log.js';
import { startProjector } from '../../projections/engine/projector.js';
import { allProjections } from '../../projections/index.js';
import { createApp } from '../../server/app.js';
import { SESSION_COOKIE } from '../../server/session.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { envelope } from '../support/events.js';

// Random keys of this file's own: a leak shows as a match nothing else could produce.
const keys: Keys = {
  ingest: `ik_${randomBytes(24).toString('hex')}`,
  read: `rk_${randomBytes(24).toString('hex')}`,
  admin: `ak_${randomBytes(24).toString('hex')}`,
};
const unknownKey = `xk_${randomBytes(24).toString('hex')}`;

let db: TestDatabase;
const lines: string[] = [];
const appOn = (sql: TestDatabase['sql']) =>
  createApp({ sql, appender: createAppender(sql), keys, bodyLimitBytes: 4096, logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }) });
beforeAll(async () => {
  db = await createTestDatabase();
  // The read models exist, as under `arrakis start`.
  const projector = await startProjector(db.sql, { projections: allProjections });
  await projector.settled();
  await projector.stop();
});
afterAll(() => db.drop());

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('the request log', () => {
  it('holds no key and no session cookie, whatever the requests and their outcomes', async () => {
    const app = appOn(db.sql);
    const statuses: number[] = [];
    const send = async (path: string, init: RequestInit = {}) => {
      const res = await app.request(path, init);
      statuses.push(res.status);
      return res;
    };

    const cookies: string[] = [];
    for (const key of [keys.read, keys.admin, keys.ingest, unknownKey]) {
      const res = await send('/api/login', json({ key }));
      const token = /arrakis_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
      if (token) cookies.push(token);
    }
    expect(cookies).toHaveLength(2);
    await send('/api/login', json({ key: 5, note: keys.admin }));

    for (const key of [keys.ingest, keys.read, keys.admin, unknownKey]) {
      await send('/api/claude-hooks', json(envelope(), bearer(key)));
      await send('/api/claude-hooks', json({ ...envelope(), sessionId: '' }, bearer(key)));
      await send('/api/claude-hooks', json(`{"pad":"${'x'.repeat(8000)}"}`, bearer(key)));
      await send('/api/claude-hooks', { method: 'POST', headers: { ...bearer(key), 'content-type': 'text/plain' }, body: '{}' });
      await send(`/api/events?limit=1&key=${key}`, { headers: bearer(key) });
      await send('/api/events/not-a-position', { headers: bearer(key) });
      await send('/api/projections/conversations/rebuild', { method: 'POST', headers: bearer(key) });
      await send('/api/projections/conversations/parked/1/retry', { method: 'POST', headers: bearer(key) });
      await send('/metrics', { headers: bearer(key) });
      await send('/api/nothing-here', { headers: bearer(key) });
    }
    for (const token of cookies) {
      for (const path of ['/api/session', '/api/conversations', '/api/events?limit=1', '/api/stats/ingest']) await send(path, { headers: { cookie: `${SESSION_COOKIE}=${token}` } });
      await send('/api/projections/conversations/rebuild', { method: 'POST', headers: { cookie: `${SESSION_COOKIE}=${token}` } });
      await send('/api/events', { headers: { cookie: `${SESSION_COOKIE}=${token.slice(0, -3)}xyz` } });
    }
    // A database that is down: the failure is logged, the key that came with the request is not.
    const down = connect('postgres://nobody@127.0.0.1:9/none', { max: 1 });
    statuses.push((await appOn(down).request('/api/claude-hooks', json(envelope(), bearer(keys.ingest)))).status);
    await down.end();

    expect(new Set(statuses)).toEqual(new Set([200, 201, 202, 400, 401, 403, 404, 413, 415, 503]));
    expect(lines.length).toBeGreaterThanOrEqual(statuses.length);
    const secrets = [...Object.values(keys), unknownKey, ...cookies].flatMap((secret) => [secret, secret.slice(0, 20), secret.slice(-20)]);
    const leaks = lines.filter((line) => secrets.some((secret) => line.includes(secret)));
    expect(leaks).toEqual([]);
  });
});
