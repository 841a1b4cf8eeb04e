import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterProjection } from '../../test/support/counter-projection.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { createHeldLease } from './held-lease.js';
import { ensureProjection } from './registry.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const LEASE_MS = 60_000;

async function freshSlot(name: string) {
  await ensureProjection(db.sql, counterProjection({ name }));
  return { name, generation: 1 };
}

const stealBy = (name: string, owner: string) =>
  db.sql`update arrakis.projection_checkpoints set owner = ${owner}, lease_until = now() + interval '1 hour' where name = ${name}`;

describe("a runner's held lease", () => {
  it('answers from memory while half the lease is left, then asks the database again', async () => {
    let now = 1_000;
    const slot = await freshSlot('lease_memory');
    const lease = createHeldLease(db.sql, slot, 'me', LEASE_MS, () => now);
    expect(await lease.own()).toEqual({ checkpoint: { transactionId: '0', position: 0 }, unchanged: false });

    // Another process took the slot; the lease is still fresh in memory, so nobody asks.
    await stealBy('lease_memory', 'other');
    expect(await lease.own()).toEqual({ checkpoint: { transactionId: '0', position: 0 }, unchanged: true });

    now += LEASE_MS / 2;
    expect(await lease.own()).toBeNull();
  });

  it('says unchanged only for a lease held without a break, and never after forget()', async () => {
    let now = 0;
    const slot = await freshSlot('lease_forget');
    const lease = createHeldLease(db.sql, slot, 'me', LEASE_MS, () => now);
    await lease.own();
    now += LEASE_MS / 2;
    expect(await lease.own()).toEqual({ checkpoint: { transactionId: '0', position: 0 }, unchanged: true });

    // In doubt (a commit failed): asked again at once, and what the runner remembers is not trusted.
    lease.forget();
    expect(await lease.own()).toEqual({ checkpoint: { transactionId: '0', position: 0 }, unchanged: false });

    await db.sql`update arrakis.projection_checkpoints set position = 5, transaction_id = '5' where name = 'lease_forget'`;
    now += LEASE_MS / 2;
    expect(await lease.own()).toEqual({ checkpoint: { transactionId: '5', position: 5 }, unchanged: false });
  });
});
