import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../core/db.js';
import { createAppender } from '../core/group-commit.js';
import { startProjector } from '../projections/engine/projector.js';
import { allProjections } from '../projections/index.js';
import { testApp, post, testKeys } from '../test/support/app.js';
import { counterProjection } from '../test/support/counter-projection.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { envelope, hookEvent } from '../test/support/events.js';
import { createApp } from './app.js';
import { createMetrics } from './metrics.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());


const scrape = (app: ReturnType<typeof testApp>, key: string = testKeys.read) =>
  app.request('/metrics', { headers: { authorization: `Bearer ${key}` } });

const text = async (app: ReturnType<typeof testApp>) => {
  const res = await scrape(app);
  expect(res.status).toBe(200);
  return res.text();
};

/** The value of the one sample of `name` with exactly these labels, parsed from the text format. */
function sample(body: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of body.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (JSON.stringify(Object.entries(found).sort()) === JSON.stringify(Object.entries(labels).sort())) return Number(match[3]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  it('needs the read scope: 401 without a key, 403 with the ingest key', async () => {
    const app = testApp(db.sql);
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await scrape(app, testKeys.ingest)).status).toBe(403);
    const res = await scrape(app);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect((await scrape(app, testKeys.admin)).status).toBe(200);
  });

  it('counts stored, duplicate, conflicting and refused deliveries, by event type and status', async () => {
    const app = testApp(db.sql);
    const send = (body: unknown, headers: Record<string, string> = {}) => app.request('/api/claude-hooks', post(JSON.stringify(body), headers));
    const sessionId = randomUUID();
    const lines = [
      JSON.stringify({ type: 'user', sessionId, message: { content: 'hi' } }),
      JSON.stringify({ type: 'assistant', sessionId, message: { content: 'hello' } }),
      JSON.stringify({ type: 'brand-new-line-type', sessionId }),
    ];
    const e = envelope({ sessionId, transcript: [{ path: `/p/${sessionId}.jsonl`, offset: 0, lines }], client: { attempt: 1 } });
    expect((await send(e)).status).toBe(201);
    expect((await send({ ...e, client: { attempt: 2 } })).status).toBe(200);
    expect((await send({ ...e, payload: { changed: true }, client: { attempt: 3 } })).status).toBe(409);
    expect((await send(envelope({ event: 'SomeFutureEvent', client: undefined }))).status).toBe(201);
    expect((await app.request('/api/claude-hooks', post('{"requestId": '))).status).toBe(400);
    expect((await send(envelope(), { authorization: `Bearer ${testKeys.read}` })).status).toBe(403);

    const body = await text(app);
    const appended = (type: string) => sample(body, 'arrakis_events_appended_total', { type });
    expect([appended('UserPromptSubmit'), appended('transcript.user'), appended('transcript.assistant')]).toEqual([1, 1, 1]);
    // Names ingest does not know share one label each, so no client can mint series.
    expect([appended('other'), appended('transcript.other'), appended('SomeFutureEvent')]).toEqual([1, 1, undefined]);
    // The resend repeats the hook event and its three lines; the conflict changes only the hook event.
    expect(sample(body, 'arrakis_events_duplicate_total')).toBe(4 + 3);
    expect(sample(body, 'arrakis_events_conflict_total')).toBe(1);
    expect(['400', '403', '409'].map((status) => sample(body, 'arrakis_ingest_rejected_total', { status }))).toEqual([1, 1, 1]);
    const deliveries = (outcome: string, attempt: string) => sample(body, 'arrakis_hook_deliveries_total', { outcome, attempt });
    expect({
      storedFirst: deliveries('stored', 'first'),
      duplicateRetry: deliveries('duplicate', 'retry'),
      conflictRetry: deliveries('conflict', 'retry'),
      rejectedFirst: deliveries('rejected', 'first'),
    }).toEqual({ storedFirst: 2, duplicateRetry: 1, conflictRetry: 1, rejectedFirst: 2 });
    // Only the four requests that got as far as the log were timed.
    expect(sample(body, 'arrakis_append_duration_seconds_count')).toBe(4);
    expect(sample(body, 'arrakis_append_duration_seconds_bucket', { le: '+Inf' })).toBe(4);
    expect(sample(body, 'arrakis_sse_clients')).toBe(0);
  });

  it('counts a database failure with the 503 the client was answered', async () => {
    const down = connect('postgres://nobody@127.0.0.1:9/none', { max: 1 });
    const app = testApp(down);
    expect((await app.request('/api/claude-hooks', post(JSON.stringify(envelope())))).status).toBe(503);
    const body = await text(app);
    expect(sample(body, 'arrakis_ingest_rejected_total', { status: '503' })).toBe(1);
    expect(sample(body, 'arrakis_hook_deliveries_total', { outcome: 'rejected', attempt: 'first' })).toBe(1);
    expect(sample(body, 'arrakis_append_duration_seconds_count')).toBe(1);
    await down.end();
  });

  it('keeps a registry per app, so two apps in one process count apart', async () => {
    const [one, two] = [testApp(db.sql), testApp(db.sql)];
    expect((await one.request('/api/claude-hooks', post('[]'))).status).toBe(400);
    expect(sample(await text(one), 'arrakis_ingest_rejected_total', { status: '400' })).toBe(1);
    expect(sample(await text(two), 'arrakis_ingest_rejected_total', { status: '400' })).toBeUndefined();
  });

  it('reports projection lag and parked events, read from the database at scrape time', async () => {
    const poisoned = counterProjection({ name: 'poisoned', poison: (e) => (e.payload as { prompt?: string }).prompt === 'poison' });
    await createAppender(db.sql).append([hookEvent({ payload: { prompt: 'poison' } })]);
    const projector = await startProjector(db.sql, { projections: [...allProjections, poisoned], pollMs: 50 });
    await projector.settled();
    await projector.stop();
    const app = testApp(db.sql);
    const before = await text(app);
    for (const { name } of allProjections) {
      expect([name, sample(before, 'arrakis_projection_lag_events', { projection: name })]).toEqual([name, 0]);
      expect([name, sample(before, 'arrakis_projection_parked_events', { projection: name })]).toEqual([name, 0]);
    }
    expect(sample(before, 'arrakis_projection_parked_events', { projection: 'poisoned' })).toBe(1);

    await createAppender(db.sql).append([hookEvent(), hookEvent(), hookEvent()]);
    const after = await text(app);
    expect(sample(after, 'arrakis_projection_lag_events', { projection: 'conversations' })).toBe(3);
    expect(sample(after, 'arrakis_projection_lag_events', { projection: 'poisoned' })).toBe(3);
  });

  it('reads SSE clients from the given count and adds process metrics when asked', async () => {
    let clients = 2;
    const metrics = createMetrics({ sql: db.sql, sseClients: () => clients, processMetrics: true });
    const app = createApp({ sql: db.sql, appender: createAppender(db.sql), keys: testKeys, metrics });
    expect(sample(await text(app), 'arrakis_sse_clients')).toBe(2);
    clients = 5;
    const body = await text(app);
    expect(sample(body, 'arrakis_sse_clients')).toBe(5);
    expect(sample(body, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });
});
