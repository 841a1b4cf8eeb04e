import { setTimeout as sleep } from 'node:timers/promises';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../../core/event-store.js';
import { testApp, testKeys } from '../../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { hookEvent } from '../../test/support/events.js';

let db: TestDatabase;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  db = await createTestDatabase();
  app = testApp(db.sql);
});
afterAll(() => db.drop());

/** A transaction left open until `commit()` or `rollback()`, so a test decides the order transactions end in. */
async function openTransaction() {
  let end!: (commit: boolean) => void;
  const ended = new Promise<boolean>((resolve) => (end = resolve));
  let opened!: (tx: TransactionSql) => void;
  const tx = new Promise<TransactionSql>((resolve) => (opened = resolve));
  const done = db.sql
    .begin(async (t) => {
      opened(t);
      if (!(await ended)) throw new Error('rolled back by the test');
    })
    .catch((error: Error) => {
      if (error.message !== 'rolled back by the test') throw error;
    });
  const t = await tx;
  return {
    tx: t,
    append: async () => (await appendEvents(t, [hookEvent()], new Date()))[0]!.position,
    commit: () => (end(true), done),
    rollback: () => (end(false), done),
  };
}

/** A log inspector client: pages with `after=<next>` and keeps every position it is shown, in order. */
function inspector(limit: number) {
  const seen: number[] = [];
  let after = 0;
  const page = async () => {
    const response = await app.request(`/api/events?after=${after}&limit=${limit}`, { headers: { authorization: `Bearer ${testKeys.read}` } });
    const body = (await response.json()) as { items: Array<{ position: number }>; next: number };
    seen.push(...body.items.map((item) => item.position));
    after = body.next;
    return body.items.length;
  };
  return {
    seen,
    page,
    async untilEmpty() {
      while ((await page()) > 0);
    },
    async until(position: number) {
      while (!seen.includes(position)) if ((await page()) === 0) await sleep(5);
    },
  };
}

/**
 * Waits until the inspector may list these positions: every transaction older than theirs has
 * ended, in any database of the cluster (other test files share it). No time limit: the
 * test's own timeout is the bound.
 */
async function settled(positions: number[]) {
  const count = async () => {
    const [row] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from arrakis.events
       where position = any(${positions}) and transaction_id < pg_snapshot_xmin(pg_current_snapshot())`;
    return row!.n;
  };
  while ((await count()) < positions.length) await sleep(5);
}

async function everyPosition() {
  return (await db.sql<{ position: number }[]>`select position from arrakis.events order by position`).map((row) => row.position);
}

const sorted = (positions: number[]) => [...positions].sort((a, b) => a - b);

describe('GET /api/events under concurrent appends', () => {
  it('lists a late-committing event that holds a smaller position than events already listed', async () => {
    const reader = inspector(10);
    // B takes its transaction id before A appends, then appends after it: A holds the smaller
    // position, B the older transaction. B commits while A is still open.
    const b = await openTransaction();
    await b.tx`select pg_current_xact_id()`;
    const a = await openTransaction();
    const inA = await a.append();
    const inB = await b.append();
    expect(inA).toBeLessThan(inB);
    await b.commit();
    // Listing B now is right (its transaction is older than A's); a plain position cursor
    // would then step over A's smaller position for good.
    await reader.until(inB);
    expect(reader.seen).not.toContain(inA);
    await a.commit();
    await settled([inA]);
    await reader.untilEmpty();
    expect(reader.seen).toEqual([inB, inA]);
  });

  it('holds back an event of a later transaction until an earlier open one commits', async () => {
    const reader = inspector(10);
    await reader.untilEmpty();
    const before = reader.seen.length;
    const a = await openTransaction();
    const inA = await a.append();
    const b = await openTransaction();
    const inB = await b.append();
    await b.commit();
    await reader.page();
    // B's transaction is younger than A's, which is still open: B waits for it.
    expect(reader.seen.slice(before)).toEqual([]);
    await a.commit();
    await settled([inA, inB]);
    await reader.untilEmpty();
    expect(reader.seen.slice(before)).toEqual([inA, inB]);
    expect(sorted(reader.seen)).toEqual(await everyPosition());
  });

  it('shows a reader paging during many concurrent appends every committed position exactly once', async () => {
    const reader = inspector(3);
    const committed: number[] = [];
    let appending = true;
    const appender = async (worker: number) => {
      for (let round = 0; round < 15; round++) {
        const t = await openTransaction();
        // Some take their transaction id before appending, as a transaction writing elsewhere first would.
        if ((worker + round) % 3 === 0) await t.tx`select pg_current_xact_id()`;
        await sleep((worker * 7 + round * 3) % 4);
        const positions = [await t.append(), ...((worker + round) % 2 === 0 ? [await t.append()] : [])];
        await sleep((worker * 5 + round) % 3);
        // Every fifth rolls back: its positions are burnt and never appear.
        if ((worker + round) % 5 === 4) await t.rollback();
        else {
          await t.commit();
          committed.push(...positions);
        }
      }
    };
    const reading = (async () => {
      while (appending) if ((await reader.page()) === 0) await sleep(1);
    })();
    await Promise.all(Array.from({ length: 6 }, (_, worker) => appender(worker)));
    appending = false;
    await reading;
    await settled(committed);
    await reader.untilEmpty();
    expect(new Set(reader.seen).size).toBe(reader.seen.length);
    expect(sorted(reader.seen)).toEqual(await everyPosition());
    expect(reader.seen).toEqual(expect.arrayContaining(committed));
  });
});
