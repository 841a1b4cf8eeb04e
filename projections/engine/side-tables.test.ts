import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../../core/group-commit.js';
import { counterProjection } from '../../test/support/counter-projection.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { hookEvent } from '../../test/support/events.js';
import type { DocProjection } from '../projection.js';
import { startProjector } from './projector.js';
import { ensureProjection, requestRebuild, swapIn } from './registry.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** The counter projection at `version`, with a side table `<table>__tally` when `tally`. */
function sided(version: number, tally: boolean): DocProjection<object> {
  const projection = counterProjection({ name: 'sided', version }) as DocProjection<object>;
  return tally ? { ...projection, ddl: (table) => [`create table if not exists ${table}__tally (n int)`, `insert into ${table}__tally values (${version})`] } : projection;
}

const views = async () =>
  (await db.sql<{ relname: string }[]>`
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'arrakis' and c.relkind = 'v' and starts_with(c.relname, 'proj_sided')
     order by 1`).map((row) => row.relname);

async function rebuiltTo(projection: DocProjection<object>): Promise<void> {
  const generation = await requestRebuild(db.sql, projection);
  const projector = await startProjector(db.sql, { projections: [projection], pollMs: 50 });
  await expect.poll(async () => (await db.sql`select active_generation from arrakis.projections where name = 'sided'`)[0]!.active_generation, { timeout: 10_000 }).toBe(generation);
  await projector.stop();
}

describe('side tables across generations', () => {
  it('a version without a side table drops its view when it swaps in, so the older generation can be retired', async () => {
    await createAppender(db.sql).append([hookEvent({ sessionId: 's1' })]);
    await ensureProjection(db.sql, sided(1, true));
    expect(await views()).toEqual(['proj_sided', 'proj_sided__tally']);
    expect(await db.sql`select n from arrakis.proj_sided__tally`).toEqual([{ n: 1 }]);

    await rebuiltTo(sided(2, false));
    expect(await views()).toEqual(['proj_sided']);

    // Generation 3 retires generation 1 and its side table: a view left on that table would fail the swap.
    await rebuiltTo(sided(3, true));
    expect(await views()).toEqual(['proj_sided', 'proj_sided__tally']);
    expect(await db.sql`select n from arrakis.proj_sided__tally`).toEqual([{ n: 3 }]);
    const generations = await db.sql<{ generation: number }[]>`select distinct generation from arrakis.projection_checkpoints where name = 'sided' order by 1`;
    expect(generations.map((row) => row.generation)).toEqual([2, 3]);
    expect(await swapIn(db.sql, sided(3, true), 3)).toBe(false);
  });
});
