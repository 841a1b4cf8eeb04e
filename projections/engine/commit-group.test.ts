import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START } from '../../core/event-store.js';
import { counterProjection } from '../../test/support/counter-projection.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import type { Folded } from './apply.js';
import { PROJECTIONS_CHANNEL, type Batch } from './commit-batch.js';
import { createCommitGroup } from './commit-group.js';
import { ensureProjection } from './registry.js';
import { claim, FencedError } from './slots.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const to = { transactionId: '7', position: 7 };
const folded = (session: string): Folded => ({
  rows: [{ key: session, session_id: session, at: null, seq: null, doc: { count: 1, positions: [7] }, first_position: 7, last_position: 7 }],
  sessions: new Set([session]),
});

/** Slots of fresh projections, claimed by `me` at the start of the log. */
async function slots(...names: string[]) {
  for (const name of names) {
    await ensureProjection(db.sql, counterProjection({ name }));
    await claim(db.sql, { name, generation: 1 }, 'me', 60_000);
  }
  return names.map((name): Batch => ({ slot: { name, generation: 1 }, owner: 'me', from: START, to, leaseMs: 60_000, folded: folded(`${name}-session`) }));
}

const checkpoints = (names: string[]) =>
  db.sql<{ name: string; position: number; tx: string }[]>`
    select name, position, xmin::text as tx from arrakis.projection_checkpoints where name in ${db.sql(names)} order by name`;

describe('commits of several slots sent together', () => {
  it('commit in one transaction, each with its documents and notification, and refuse only the slot whose lease was lost', async () => {
    const batches = await slots('grouped_a', 'grouped_b', 'grouped_c');
    await db.sql`update arrakis.projection_checkpoints set owner = 'someone else' where name = 'grouped_c'`;
    const heard: string[] = [];
    const listener = await db.sql.listen(PROJECTIONS_CHANNEL, (payload) => heard.push((JSON.parse(payload) as { p: string }).p));

    const commit = createCommitGroup(db.sql);
    const outcomes = await Promise.allSettled(batches.map(commit));

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(FencedError);
    const [a, b, c] = await checkpoints(['grouped_a', 'grouped_b', 'grouped_c']);
    expect([a!.position, b!.position, c!.position]).toEqual([7, 7, 0]);
    expect(a!.tx).toBe(b!.tx);
    expect(await db.sql`select key from arrakis.proj_grouped_a`).toEqual([{ key: 'grouped_a-session' }]);
    expect(await db.sql`select key from arrakis.proj_grouped_c`).toEqual([]);
    await expect.poll(() => [...heard].sort()).toEqual(['grouped_a', 'grouped_b']);
    await listener.unlisten();
  });

  it('send each batch alone when the statement fails, so that only the failing slot fails', async () => {
    const batches = await slots('alone_a', 'alone_b');
    await db.sql`drop view arrakis.proj_alone_b`;
    await db.sql`drop table arrakis.proj_alone_b_g1`;

    const commit = createCommitGroup(db.sql);
    const outcomes = await Promise.allSettled(batches.map(commit));

    expect(outcomes[0]!.status).toBe('fulfilled');
    expect(outcomes[1]!.status).toBe('rejected');
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/proj_alone_b_g1/);
    const [a, b] = await checkpoints(['alone_a', 'alone_b']);
    expect([a!.position, b!.position]).toEqual([7, 0]);
  });
});
