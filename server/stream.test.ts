import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../core/group-commit.js';
import { startProjector, type Projector } from '../projections/engine/projector.js';
import { allProjections } from '../projections/index.js';
import { testKeys } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { envelope, hookEvent } from '../test/support/events.js';
import { changes, openSse } from '../test/support/sse.js';
import { createApp } from './app.js';
import { startChangeFeed, type ChangeFeed } from './feed/change-feed.js';
import { listen, type RunningServer } from './http.js';

let db: TestDatabase;
let projector: Projector;
let feed: ChangeFeed;
let server: RunningServer;
const read = { authorization: `Bearer ${testKeys.read}` };

beforeAll(async () => {
  db = await createTestDatabase();
  projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
  feed = await startChangeFeed(db.sql, { pollMs: 50, maxReplay: 150 });
  server = await listen(createApp({ sql: db.sql, appender: createAppender(db.sql), keys: testKeys, feed }), { port: 0 });
});
afterAll(async () => {
  await feed.close();
  await server.close();
  await projector.stop();
  await db.drop();
});

const streamUrl = (query = '') => `${server.url}api/conversations/stream${query}`;
const append = (count: number, sessionId = randomUUID()) =>
  createAppender(db.sql).append(Array.from({ length: count }, () => hookEvent({ sessionId })));
const ids = (frames: { id?: string }[]) => frames.map((f) => BigInt(f.id!));

describe('GET /api/conversations/stream', () => {
  it('refuses clients without a read key', async () => {
    expect((await fetch(streamUrl())).status).toBe(401);
    expect((await fetch(streamUrl(), { headers: { authorization: `Bearer ${testKeys.ingest}` } })).status).toBe(403);
  });

  it('sends a frame for an event posted to the ingest endpoint, with its conversation', async () => {
    const client = await openSse(streamUrl(), { headers: read });
    await client.until((f) => f.some((x) => x.event === 'ready'), 'ready');
    const sent = envelope();
    const posted = await fetch(`${server.url}api/claude-hooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${testKeys.ingest}` },
      body: JSON.stringify(sent),
    });
    const { position } = (await posted.json()) as { position: number };
    const [frame] = changes(await client.until((f) => changes(f).length > 0, 'a change'));
    const data = JSON.parse(frame!.data);
    expect(data).toMatchObject({ position, sessionId: sent.sessionId, type: 'UserPromptSubmit', requestId: sent.requestId });
    expect(data.conversation).toMatchObject({ sessionId: sent.sessionId, promptCount: 1 });
    client.close();
  });

  it('replays exactly the changes a client missed while away, in order, none twice', async () => {
    const first = await openSse(streamUrl(), { headers: read });
    await append(3);
    const seen = changes(await first.until((f) => changes(f).length === 3, 'three changes'));
    first.close();
    const lastId = seen.at(-1)!.id!;

    const missed = (await append(100)).map((o) => o.position);
    await projector.settled();
    const again = await openSse(streamUrl(), { headers: { ...read, 'last-event-id': lastId } });
    const replayed = changes(await again.until((f) => changes(f).length >= 100, 'the missed changes'));
    await append(1);
    const all = changes(await again.until((f) => changes(f).length === 101, 'the next live change'));
    expect(replayed.slice(0, 100).map((f) => JSON.parse(f.data).position)).toEqual(missed);
    const order = ids(all);
    expect(order.every((id, i) => i === 0 || id > order[i - 1]!)).toBe(true);
    expect(BigInt(lastId) < order[0]!).toBe(true);
    again.close();
  });

  it('takes the Last-Event-ID from the query too, and filters by session', async () => {
    const ready = await openSse(streamUrl(), { headers: read });
    const [start] = await ready.until((f) => f.length > 0, 'ready');
    ready.close();
    const sessionId = randomUUID();
    await append(2);
    const mine = (await append(4, sessionId)).map((o) => o.position);
    await projector.settled();
    const client = await openSse(streamUrl(`?sessionId=${sessionId}&lastEventId=${start!.id}`), { headers: read });
    const frames = changes(await client.until((f) => changes(f).length >= 4, 'the session changes'));
    expect(frames.map((f) => JSON.parse(f.data).position)).toEqual(mine);
    client.close();
  });

  it('tells a client to resync when its id is unknown or it missed more than can be replayed', async () => {
    const unknown = await openSse(streamUrl(), { headers: { ...read, 'last-event-id': '123456789012345678' } });
    const [resync] = await unknown.until((f) => f.length > 0, 'resync');
    expect(resync!.event).toBe('resync');
    expect(resync!.id).toMatch(/^\d+$/);
    unknown.close();

    const before = await openSse(streamUrl(), { headers: read });
    const [start] = await before.until((f) => f.length > 0, 'ready');
    await append(151);
    // Once this client has them, the feed has passed them too.
    await before.until((f) => changes(f).length === 151, 'the 151 changes');
    before.close();
    const behind = await openSse(streamUrl(), { headers: { ...read, 'last-event-id': start!.id! } });
    const [frame] = await behind.until((f) => f.length > 0, 'resync');
    expect(frame).toMatchObject({ event: 'resync' });
    expect(JSON.parse(frame!.data).reason).toMatch(/more than 150/);
    behind.close();
  });

  it('accepts the session cookie from POST /api/login instead of a header', async () => {
    const login = await fetch(`${server.url}api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: testKeys.read }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const client = await openSse(streamUrl(), { headers: { cookie } });
    expect((await client.until((f) => f.length > 0, 'ready'))[0]!.event).toBe('ready');
    client.close();
  });
});
