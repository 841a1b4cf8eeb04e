import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REBUILD_REQUESTED, RETRY_REQUESTED } from '../../core/admin-events.js';
import { connect } from '../../core/db.js';
import { createAppender } from '../../core/group-commit.js';
import { ensureLoginRole, grantAppRole } from '../../core/roles.js';
import { allProjections } from '../../projections/index.js';
import { startProjector } from '../../projections/engine/projector.js';
import { post, testApp, testKeys } from '../../test/support/app.js';
import { counterProjection } from '../../test/support/counter-projection.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { envelope, hookEvent } from '../../test/support/events.js';
import { turnEvents } from '../../test/support/sessions.js';
import { listen } from '../http.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const request = (sql = db.sql) => (path: string, key?: string, headers: Record<string, string> = {}) =>
  testApp(sql).request(path, { method: 'POST', headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } });

const adminEvents = (type: string) =>
  db.sql<{ position: number; request_id: string; session_id: string; payload: Record<string, unknown> }[]>`
    select position, request_id, session_id, payload from arrakis.events where type = ${type} order by position`;

const registry = async (name: string) => {
  const [row] = await db.sql<{ active_generation: number }[]>`select active_generation from arrakis.projections where name = ${name}`;
  const generations = await db.sql<{ generation: number }[]>`select generation from arrakis.projection_checkpoints where name = ${name} order by generation`;
  return { active: row!.active_generation, generations: generations.map((g) => g.generation) };
};


const docs = async (view: string) => (await db.sql`select key, doc from ${db.sql(view)} order by key`).map((r) => ({ ...r }));

describe('POST /api/projections/:name/rebuild', () => {
  it('records the request in the log, and a running projector rebuilds the projection to the same content', async () => {
    const projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
    const appender = createAppender(db.sql);
    for (const session of ['aaaaaaaa-0000-4000-8000-00000000000a', 'bbbbbbbb-0000-4000-8000-00000000000b']) {
      for (let turn = 0; turn < 2; turn++) await appender.append(turnEvents(session, turn, new Date(Date.UTC(2026, 10, 20, 9, turn))));
    }
    await projector.settled();
    const before = await docs('arrakis.proj_conversations');
    expect(before).toHaveLength(2);
    const rebuild = request();

    expect((await rebuild('/api/projections/conversations/rebuild')).status).toBe(401);
    expect((await rebuild('/api/projections/conversations/rebuild', testKeys.read)).status).toBe(403);
    expect((await rebuild('/api/projections/conversations/rebuild', testKeys.ingest)).status).toBe(403);
    const unknown = await rebuild('/api/projections/nonesuch/rebuild', testKeys.admin);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'not_found', message: expect.stringContaining('conversations') });
    expect((await rebuild('/api/projections/conversations/rebuild?resume=maybe', testKeys.admin)).status).toBe(400);
    expect(await adminEvents(REBUILD_REQUESTED)).toHaveLength(0);

    const res = await rebuild('/api/projections/conversations/rebuild', testKeys.admin, { 'x-request-id': 'req-rebuild-1', 'user-agent': 'admin-test' });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { position: number };
    expect(body).toEqual({ name: 'conversations', requested: true, position: expect.any(Number) });
    const [event] = await adminEvents(REBUILD_REQUESTED);
    const fingerprint = createHash('sha256').update(testKeys.admin).digest('hex').slice(0, 8);
    expect(event).toMatchObject({
      position: body.position,
      request_id: expect.stringMatching(/^admin_/),
      session_id: 'arrakis',
      payload: { projection: 'conversations', resume: false, by: { scope: 'admin', via: 'key', fingerprint }, requestId: 'req-rebuild-1', userAgent: 'admin-test' },
    });
    expect(JSON.stringify(event!.payload)).not.toContain(testKeys.admin);

    await projector.settled();
    await projector.settled();
    expect(await registry('conversations')).toEqual({ active: 2, generations: [1, 2] });
    // The request is not a capture: no conversation is made of it, and the content is the same.
    expect(await docs('arrakis.proj_conversations')).toEqual(before);
    await projector.stop();
  });

  it('records the address the request came from, over a real connection', async () => {
    const server = await listen(testApp(db.sql), { port: 0 });
    try {
      const res = await fetch(new URL('api/projections/conversations/rebuild?resume=true', server.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${testKeys.admin}` },
      });
      expect(res.status).toBe(202);
      const { position } = (await res.json()) as { position: number };
      const [event] = (await adminEvents(REBUILD_REQUESTED)).filter((e) => e.position === position);
      expect(event!.payload).toMatchObject({ resume: true, remoteAddress: expect.stringMatching(/127\.0\.0\.1$/) });
    } finally {
      await server.close();
    }
  });

  it('with two projectors running, one request makes exactly one new generation', async () => {
    const projection = () => counterProjection({ name: 'twice' });
    const first = await startProjector(db.sql, { projections: [projection()], pollMs: 50, owner: 'first' });
    const second = await startProjector(db.sql, { projections: [projection()], pollMs: 50, owner: 'second' });
    await createAppender(db.sql).append([hookEvent({ sessionId: 't' }), hookEvent({ sessionId: 't' })]);
    await Promise.all([first.settled(), second.settled()]);
    const before = await docs('arrakis.proj_twice');
    expect((await request()('/api/projections/twice/rebuild', testKeys.admin)).status).toBe(202);
    await Promise.all([first.settled(), second.settled()]);
    await Promise.all([first.settled(), second.settled()]);
    expect(await registry('twice')).toEqual({ active: 2, generations: [1, 2] });
    expect(await docs('arrakis.proj_twice')).toEqual(before);
    await Promise.all([first.stop(), second.stop()]);
  });
});

describe('POST /api/projections/:name/parked/:id/retry', () => {
  it('records the retry in the log with the mark, and the projector applies the parked event', async () => {
    let broken = true;
    const projection = counterProjection({ name: 'retried', poison: (e) => broken && (e.payload as { prompt?: string }).prompt === 'poison' });
    const poison = hookEvent({ sessionId: 'r', payload: { prompt: 'poison' } });
    const [stored] = await createAppender(db.sql).append([hookEvent({ sessionId: 'r' }), poison]);
    const projector = await startProjector(db.sql, { projections: [projection], pollMs: 50 });
    await projector.settled();
    const [parked] = await db.sql<{ id: number; position: number }[]>`select id, position from arrakis.projection_parked where name = 'retried'`;
    expect(parked!.position).toBe(stored!.position + 1);
    broken = false;

    expect((await request()(`/api/projections/retried/parked/${parked!.id}/retry`, testKeys.read)).status).toBe(403);
    expect((await request()('/api/projections/retried/parked/999999/retry', testKeys.admin)).status).toBe(404);
    expect(await adminEvents(RETRY_REQUESTED)).toHaveLength(0);
    const res = await request()(`/api/projections/retried/parked/${parked!.id}/retry`, testKeys.admin, { 'x-request-id': 'req-retry-1' });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { position: number };
    expect(body).toEqual({ name: 'retried', id: parked!.id, retryRequested: true, position: expect.any(Number) });
    expect(await adminEvents(RETRY_REQUESTED)).toEqual([
      expect.objectContaining({
        position: body.position,
        payload: expect.objectContaining({ projection: 'retried', parkedId: parked!.id, position: parked!.position, requestId: 'req-retry-1', by: expect.objectContaining({ scope: 'admin' }) }),
      }),
    ]);

    await projector.settled();
    const [doc] = await db.sql<{ doc: { count: number; positions: number[] } }[]>`select doc from arrakis.proj_retried where key = 'r'`;
    expect(doc!.doc.count).toBe(2);
    expect(doc!.doc.positions).toContain(parked!.position);
    await projector.stop();
  });
});

describe('the admin routes as the server connects: the app role', () => {
  it('may record rebuild and retry requests, and mark a parked event, but not build tables', async () => {
    const role = `arrakis_app_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    await ensureLoginRole(db.sql, role, password);
    await grantAppRole(db.sql, role);
    const url = new URL(db.url);
    url.username = role;
    url.password = password;
    const app = connect(url.toString(), { max: 2 });
    try {
      const projection = counterProjection({ name: 'limited', poison: () => true });
      const projector = await startProjector(db.sql, { projections: [projection], pollMs: 50 });
      await createAppender(db.sql).append([hookEvent({ sessionId: 'l' })]);
      await projector.settled();
      const [parked] = await db.sql<{ id: number }[]>`select id from arrakis.projection_parked where name = 'limited'`;
      await projector.stop();

      expect((await request(app)('/api/projections/limited/rebuild?resume=true', testKeys.admin)).status).toBe(202);
      expect((await request(app)(`/api/projections/limited/parked/${parked!.id}/retry`, testKeys.admin)).status).toBe(202);
      const [rebuild] = (await adminEvents(REBUILD_REQUESTED)).filter((e) => e.payload.projection === 'limited');
      expect(rebuild!.payload).toMatchObject({ resume: true });
      await expect(app`create table arrakis.proj_limited_g9 (key text)`).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
      await db.sql.unsafe(`drop owned by ${role}`);
      await db.sql.unsafe(`drop role ${role}`);
    }
  });
});

describe('the arrakis. event type prefix', () => {
  it('is refused at ingest, so that only the server records admin requests', async () => {
    const forged = envelope({ event: REBUILD_REQUESTED, sessionId: 'arrakis', payload: { projection: 'conversations' } });
    const res = await testApp(db.sql).request('/api/claude-hooks', post(JSON.stringify(forged)));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ issues: [{ path: 'event', message: expect.stringMatching(/reserved/) }] });
  });
});
