import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../core/group-commit.js';
import { startProjector, type Projector } from '../projections/engine/projector.js';
import { allProjections } from '../projections/index.js';
import { testKeys } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { hookEvent } from '../test/support/events.js';
import { changes, openSse, type SseClient } from '../test/support/sse.js';
import { createApp } from './app.js';
import { startChangeFeed, type ChangeFeed } from './feed/change-feed.js';
import { listen, type RunningServer } from './http.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let db: TestDatabase;
let projector: Projector;
let feed: ChangeFeed;
let server: RunningServer;

beforeAll(async () => {
  db = await createTestDatabase();
  projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
  feed = await startChangeFeed(db.sql, { pollMs: 50 });
  server = await listen(createApp({ sql: db.sql, appender: createAppender(db.sql), keys: testKeys, feed }), { port: 0 });
});
afterAll(async () => {
  await feed.close();
  await server.close();
  await projector.stop();
  await db.drop();
});

async function eventually(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`never: ${what}`);
}

const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

describe('200 SSE clients connecting and disconnecting', () => {
  it('each gets the live change, and clients, sockets and memory return to their baseline', async () => {
    const url = `${server.url}api/conversations/stream`;
    const baselineHeap = heapAfterGc();
    for (let round = 0; round < 3; round++) {
      const clients: SseClient[] = await Promise.all(
        Array.from({ length: 200 }, () => openSse(url, { headers: { authorization: `Bearer ${testKeys.read}` } })),
      );
      await Promise.all(clients.map((c) => c.until((f) => f.length > 0, 'ready')));
      expect(feed.clientCount()).toBe(200);
      const [stored] = await createAppender(db.sql).append([hookEvent()]);
      await Promise.all(clients.map((c) => c.until((f) => changes(f).some((x) => JSON.parse(x.data).position === stored!.position), 'the change')));
      for (const client of clients) client.close();
      await eventually(async () => feed.clientCount() === 0, 'every subscription released');
      await eventually(async () => (await server.connections()) === 0, 'every socket closed');
    }
    // Three rounds of 200 streams leave no more than a few MB behind (nothing per client is kept).
    expect(heapAfterGc() - baselineHeap).toBeLessThan(16 * 1024 * 1024);
  });
});
