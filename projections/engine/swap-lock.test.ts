import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../../core/group-commit.js';
import { counterProjection } from '../../test/support/counter-projection.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { hookEvent } from '../../test/support/events.js';
import type { DocProjection } from '../projection.js';
import { startProjector } from './projector.js';
import { ensureProjection, REGISTRY_LOCK, requestRebuild } from './registry.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** The counter projection with a side table of its own, made by its ddl like a projection's rollups. */
const sided = (name: string): DocProjection<object> => ({
  ...(counterProjection({ name }) as DocProjection<object>),
  ddl: (table) => [`create table if not exists ${table}__tally (n int)`],
});

const serving = async (name: string) => (await db.sql<{ g: number }[]>`select active_generation as g from arrakis.projections where name = ${name}`)[0]!.g;
const relations = async (generation: number, name: string) =>
  (await db.sql<{ relname: string }[]>`
    select relname from pg_class where relnamespace = 'arrakis'::regnamespace and starts_with(relname, ${`proj_${name}_g${generation}`}) order by 1`).map((r) => r.relname);
/** Connections of this database waiting for an advisory lock. */
const waitingForLock = async () =>
  (await db.sql<{ n: number }[]>`
    select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database
     where l.locktype = 'advisory' and not l.granted and d.datname = current_database()`)[0]!.n;

/** Given the registry lock held by someone else (another projection's swap, say). */
async function holdingRegistry<T>(work: () => Promise<T>): Promise<T> {
  const holder = await db.sql.reserve();
  await holder`select pg_advisory_lock(${REGISTRY_LOCK})`;
  try {
    return await work();
  } finally {
    await holder`select pg_advisory_unlock(${REGISTRY_LOCK})`;
    holder.release();
  }
}

describe('rebuilds and the registry lock', () => {
  it('a caught-up rebuild builds its indexes and side tables without the registry lock, then swaps in once it is free', async () => {
    const projection = sided('ahead');
    await createAppender(db.sql).append([hookEvent({ sessionId: 'a1' }), hookEvent({ sessionId: 'a2' })]);
    await ensureProjection(db.sql, projection);
    const generation = await requestRebuild(db.sql, projection);
    expect(await relations(generation, 'ahead')).toEqual([`proj_ahead_g${generation}`, `proj_ahead_g${generation}_pkey`]);

    const projector = await startProjector(db.sql, { projections: [projection], pollMs: 50 });
    await holdingRegistry(async () => {
      await expect.poll(() => relations(generation, 'ahead'), { timeout: 10_000 }).toEqual([
        `proj_ahead_g${generation}`,
        `proj_ahead_g${generation}__tally`,
        `proj_ahead_g${generation}_at`,
        `proj_ahead_g${generation}_pkey`,
        `proj_ahead_g${generation}_session`,
      ]);
      expect(await serving('ahead')).toBe(generation - 1);
    });
    await expect.poll(() => serving('ahead'), { timeout: 10_000 }).toBe(generation);
    expect((await db.sql`select key from arrakis.proj_ahead order by key`).map((r) => r.key)).toEqual(['a1', 'a2']);
    await projector.stop();
  });

  it('once a rebuild has swapped in, its lanes no longer ask to swap in on every pass', async () => {
    const projection = sided('swapped');
    const appender = createAppender(db.sql);
    await appender.append([hookEvent({ sessionId: 's1' })]);
    const projector = await startProjector(db.sql, { projections: [projection], pollMs: 50 });
    const generation = await requestRebuild(db.sql, projection);
    await expect.poll(() => serving('swapped'), { timeout: 10_000 }).toBe(generation);
    await projector.settled();

    const outcome = await holdingRegistry(async () => {
      await appender.append([hookEvent({ sessionId: 's2' })]);
      let settled = false;
      const waited = (async () => {
        while (!settled) if ((await waitingForLock()) > 0) return 'a lane waited for the registry lock';
        return 'settled';
      })();
      return Promise.race([projector.settled().then(() => ((settled = true), 'settled')), waited]);
    });
    expect(outcome).toBe('settled');
    // The log is shared with the test above: every session's document, s2 among them.
    expect((await db.sql`select key from arrakis.proj_swapped order by key`).map((r) => r.key)).toEqual(['a1', 'a2', 's1', 's2']);
    await projector.stop();
  });
});
