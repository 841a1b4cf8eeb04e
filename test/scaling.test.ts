import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Sql } from '../core/db.js';
import { createAppender } from '../core/group-commit.js';
import { startProjector, type Projector } from '../projections/engine/projector.js';
import { allProjections } from '../projections/index.js';
import { createApp } from '../server/app.js';
import { startChangeFeed, type ChangeFeed } from '../server/feed/change-feed.js';
import { listen, type RunningServer } from '../server/http.js';
import { testKeys } from './support/app.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { envelope } from './support/events.js';
import { changes, openSse } from './support/sse.js';

/**
 * docs/scaling.md's claim, checked: stateless servers behind a balancer and several
 * projectors sharing the work, all on one database, store and project every event once.
 */
let db: TestDatabase;
const pools: Sql[] = [];
const servers: Array<{ server: RunningServer; feed: ChangeFeed }> = [];
const projectors: Projector[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  for (let i = 0; i < 2; i++) {
    const sql = connect(db.url, { max: 8, applicationName: `arrakis-server-${i}` });
    pools.push(sql);
    const feed = await startChangeFeed(sql, { pollMs: 100 });
    servers.push({ feed, server: await listen(createApp({ sql, appender: createAppender(sql), keys: testKeys, feed }), { port: 0 }) });
  }
  for (let i = 0; i < 2; i++) {
    const sql = connect(db.url, { max: 8, applicationName: `arrakis-projector-${i}` });
    pools.push(sql);
    projectors.push(await startProjector(sql, { projections: allProjections, owner: `projector-${i}`, pollMs: 100, leaseMs: 2000 }));
  }
});
afterAll(async () => {
  for (const { feed, server } of servers) {
    await feed.close();
    await server.close();
  }
  for (const projector of projectors) await projector.stop();
  for (const sql of pools) await sql.end({ timeout: 5 });
  await db.drop();
});

const post = (server: RunningServer, body: unknown) =>
  fetch(`${server.url}api/claude-hooks`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${testKeys.ingest}` }, body: JSON.stringify(body) });

describe('two servers and two projectors on one database', () => {
  it('store each event once whichever server a retry reaches, and project it once', async () => {
    const streams = await Promise.all(servers.map(({ server }) => openSse(`${server.url}api/conversations/stream`, { headers: { authorization: `Bearer ${testKeys.read}` } })));
    await Promise.all(streams.map((s) => s.until((f) => f.length > 0, 'ready')));
    const sessions = Array.from({ length: 8 }, () => randomUUID());
    const envelopes = Array.from({ length: 240 }, (_, i) => {
      const base = envelope({ sessionId: sessions[i % sessions.length]! });
      // Distinct prompts: the same text twice in a session is, by design, one timeline entry.
      return { ...base, payload: { ...(base.payload as object), prompt: `Step ${i}: make the test pass` } };
    });
    const statuses: number[] = [];
    // Four clients at once; each envelope is sent to both servers, as a retry after a lost answer would be.
    for (let i = 0; i < envelopes.length; i += 4) {
      const answers = await Promise.all(envelopes.slice(i, i + 4).flatMap((e) => servers.map(({ server }) => post(server, e))));
      statuses.push(...answers.map((a) => a.status));
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(envelopes.length);
    expect(statuses.filter((s) => s === 200)).toHaveLength(envelopes.length);

    await Promise.all(projectors.map((p) => p.settled()));
    const [stored] = await db.sql<{ n: number }[]>`select count(*)::int as n from arrakis.events`;
    expect(stored!.n).toBe(envelopes.length);
    const conversations = await db.sql<{ prompts: number }[]>`select (doc->>'promptCount')::int as prompts from arrakis.proj_conversations`;
    expect(conversations.map((c) => c.prompts)).toEqual(sessions.map(() => envelopes.length / sessions.length));
    const doubled = await db.sql`select key from arrakis.proj_messages where jsonb_array_length(doc->'sources') <> 1`;
    expect(doubled).toHaveLength(0);
    const owners = await db.sql<{ owner: string }[]>`select distinct owner from arrakis.projection_checkpoints where owner is not null`;
    expect(owners.length).toBeGreaterThanOrEqual(1);

    for (const stream of streams) {
      const seen = changes(await stream.until((f) => changes(f).length >= envelopes.length, 'every change')).map((f) => JSON.parse(f.data).position);
      expect(new Set(seen).size).toBe(envelopes.length);
      stream.close();
    }
    const lists = await Promise.all(servers.map(async ({ server }) => (await fetch(`${server.url}api/conversations?limit=50`, { headers: { authorization: `Bearer ${testKeys.read}` } })).json()));
    expect(lists[0]).toEqual(lists[1]);
  });
});
