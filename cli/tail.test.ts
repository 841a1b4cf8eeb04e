import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../core/group-commit.js';
import { startProjector, type Projector } from '../projections/engine/projector.js';
import { allProjections } from '../projections/index.js';
import { createApp } from '../server/app.js';
import { startChangeFeed } from '../server/feed/change-feed.js';
import { listen } from '../server/http.js';
import { testKeys } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { hookEvent } from '../test/support/events.js';
import { tailCommand } from './tail.js';

let db: TestDatabase;
let projector: Projector;
beforeAll(async () => {
  db = await createTestDatabase();
  projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
});
afterAll(async () => {
  await projector.stop();
  await db.drop();
});

async function serve(port = 0) {
  const feed = await startChangeFeed(db.sql, { pollMs: 50 });
  const server = await listen(createApp({ sql: db.sql, appender: createAppender(db.sql), keys: testKeys, feed }), { port });
  return {
    ...server,
    async stop() {
      await feed.close();
      await server.close();
    },
  };
}

function runTail(args: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const exit = tailCommand(args, { env, out: (l) => out.push(l), err: (l) => err.push(l), stop: stopped });
  const until = async (predicate: () => boolean, what: string) => {
    for (let i = 0; i < 1000 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    if (!predicate()) throw new Error(`tail never showed ${what}: ${JSON.stringify({ out, err })}`);
  };
  return { out, err, exit, until, stop };
}

const positionsIn = (lines: string[]) => lines.map((l) => Number(/#(\d+)/.exec(l)![1]));
const append = async (count: number, sessionId = randomUUID(), event = 'UserPromptSubmit') =>
  (await createAppender(db.sql).append(Array.from({ length: count }, () => hookEvent({ sessionId, event })))).map((o) => o.position);

describe('arrakis tail', () => {
  it('prints each change once, and after a server restart prints what it missed, in order', async () => {
    let server = await serve();
    const tail = runTail([], { ARRAKIS_URL: server.url, ARRAKIS_READ_KEY: testKeys.read });
    await tail.until(() => tail.err.some((l) => l.includes('connected')), 'its connection');
    const before = await append(3);
    await tail.until(() => tail.out.length === 3, 'three changes');

    await server.stop();
    const during = await append(5);
    await projector.settled();
    server = await serve(server.port);
    await tail.until(() => tail.out.length === 8, 'the changes made while the server was down');
    expect(positionsIn(tail.out)).toEqual([...before, ...during]);
    expect(tail.err.some((l) => l.startsWith('-- '))).toBe(true);
    tail.stop();
    expect(await tail.exit).toBe(0);
    await server.stop();
  });

  it('filters by session and type', async () => {
    const server = await serve();
    const sessionId = randomUUID();
    const tail = runTail(['--session', sessionId, '--type', 'Stop'], { ARRAKIS_URL: server.url, ARRAKIS_READ_KEY: testKeys.read });
    await tail.until(() => tail.err.some((l) => l.includes('connected')), 'its connection');
    await append(2, sessionId);
    await append(2, randomUUID(), 'Stop');
    const wanted = await append(1, sessionId, 'Stop');
    await tail.until(() => tail.out.length >= 1, 'the Stop of that session');
    // Anything the filters let through by mistake would have come before the wanted line.
    expect(positionsIn(tail.out)).toEqual(wanted);
    tail.stop();
    await tail.exit;
    await server.stop();
  });

  it('exits 1 with the reason when the key is refused, and 2 on bad usage', async () => {
    const server = await serve();
    const refused = runTail([], { ARRAKIS_URL: server.url, ARRAKIS_READ_KEY: testKeys.ingest });
    expect(await refused.exit).toBe(1);
    expect(refused.err.at(-1)).toMatch(/refused the stream \(403\)/);
    const bad = runTail(['--bogus'], { ARRAKIS_URL: server.url, ARRAKIS_READ_KEY: testKeys.read });
    expect(await bad.exit).toBe(2);
    expect(bad.err[0]).toMatch(/usage: arrakis tail/);
    await server.stop();
  });
});
