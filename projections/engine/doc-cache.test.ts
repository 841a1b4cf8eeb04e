import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilReadable } from '../../core/event-store.js';
import { createAppender } from '../../core/group-commit.js';
import { silentLogger } from '../../core/log.js';
import { counterProjection, type Counted } from '../../test/support/counter-projection.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { hookEvent } from '../../test/support/events.js';
import { createDocCache } from './doc-cache.js';
import { ensureProjection } from './registry.js';
import { createRunner } from './runner.js';

const row = (key: string, n: number) => ({ key, doc: { n }, first_position: n });

describe('the document cache', () => {
  it('given a table known to be empty, when a key was never written, then it is certainly absent', () => {
    const cache = createDocCache();
    expect(cache.lookup('a')).toBeUndefined();
    cache.reset(true);
    expect(cache.lookup('a')).toBeNull();
    cache.remember([row('a', 1)]);
    expect(cache.lookup('a')).toEqual(row('a', 1));
  });

  it('given more documents than it keeps, then an evicted key is unknown, not absent', () => {
    const cache = createDocCache({ maxDocs: 2 });
    cache.reset(true);
    cache.remember([row('a', 1), row('b', 2), row('c', 3)]);
    expect(cache.lookup('a')).toBeUndefined();
    expect(cache.lookup('c')).toEqual(row('c', 3));
    expect(cache.lookup('z')).toBeNull();
  });

  it('given more than a million documents written and evicted, then a key never written is still certainly absent, and every evicted one unknown', () => {
    const cache = createDocCache({ maxDocs: 10 });
    cache.reset(true);
    const written = 1_200_000;
    for (let at = 0; at < written; at += 1000) cache.remember(Array.from({ length: 1000 }, (_, i) => row(`message:s${(at + i) % 5000}:${at + i}`, at + i)));
    for (let i = 0; i < written; i += 997) expect(cache.lookup(`message:s${i % 5000}:${i}`), `written ${i}`).not.toBeNull();
    // A filter answers "maybe" for a few keys it never saw (each costs one lookup), never "no" for one it did.
    const never = Array.from({ length: 10_000 }, (_, i) => cache.lookup(`message:s${i}:never-${i}`));
    expect(never.filter((answer) => answer === null).length).toBeGreaterThan(9_500);
  });
});

describe('a runner that loses its lease and gets it back', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('reads the documents another owner wrote meanwhile instead of its own stale copies', async () => {
    const projection = counterProjection({ name: 'handover' });
    await ensureProjection(db.sql, projection);
    const slot = { name: 'handover', generation: 1 };
    const runner = (owner: string) => createRunner({ sql: db.sql, projection, slot, owner, logger: silentLogger, leaseMs: 200 });
    const first = runner('first');
    const second = runner('second');
    // The safe read waits for every older transaction of the cluster, other tests' included.
    const append = async () => {
      await createAppender(db.sql).append([hookEvent({ sessionId: 's' })]);
      await untilReadable(db.sql);
    };

    await append();
    expect((await first.catchUp()).applied).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await append();
    expect((await second.catchUp()).applied).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await append();
    expect((await first.catchUp()).applied).toBe(1);

    const [stored] = await db.sql<{ doc: Counted }[]>`select doc from arrakis.proj_handover where key = 's'`;
    expect(stored!.doc.count).toBe(3);
  });
});
