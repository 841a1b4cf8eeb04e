import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { hookEvent } from '../test/support/events.js';
import { appendEvents, checkpointOf, START, type Checkpoint } from './event-store.js';
import { readAfter, readAfterHeld } from './read-after.js';
import type { StoredEvent } from './events.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function readAll(from: Checkpoint, limit = 7): Promise<{ events: StoredEvent[]; checkpoint: Checkpoint }> {
  const events: StoredEvent[] = [];
  let checkpoint = from;
  for (;;) {
    const batch = await readAfter(db.sql, checkpoint, limit);
    if (batch.length === 0) return { events, checkpoint };
    events.push(...batch);
    checkpoint = checkpointOf(batch.at(-1)!);
  }
}

describe('readAfter (and readAfterHeld, the same statement)', () => {
  it('does not pass an event whose transaction is still open, and returns it once it commits', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const early = hookEvent();
    let inserted!: () => void;
    const insertedEarly = new Promise<void>((resolve) => (inserted = resolve));
    const slow = db.sql.begin(async (tx) => {
      await appendEvents(tx, [early], new Date());
      inserted();
      await held;
    });
    await insertedEarly;
    const later = Array.from({ length: 5 }, () => hookEvent());
    for (const event of later) await db.sql.begin((tx) => appendEvents(tx, [event], new Date()));

    const before = await readAll(START);
    expect(before.events.map((e) => e.requestId)).not.toContain(early.requestId);
    expect(before.events.map((e) => e.requestId)).not.toContain(later[0]!.requestId);
    // The later events are committed, yet held back: the same read says so.
    expect(await readAfterHeld(db.sql, before.checkpoint)).toEqual({ events: [], held: true });

    release();
    await slow;
    const after = await readAll(before.checkpoint);
    expect(after.events.map((e) => e.requestId)).toEqual([early, ...later].map((e) => e.requestId));
  });

  it('sees every event exactly once while many writers commit out of order', async () => {
    const { checkpoint: start } = await readAll(START);
    const writers = 8;
    const perWriter = 40;
    const written: string[] = [];
    let writing = true;
    const writersDone = Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          const events = Array.from({ length: 1 + ((w + i) % 3) }, () => hookEvent());
          await db.sql.begin(async (tx) => {
            await appendEvents(tx, events, new Date());
            // Hold some transactions open so later xids commit first.
            if ((w + i) % 4 === 0) await sleep(5 + ((w * 7 + i) % 20));
          });
          written.push(...events.map((e) => e.requestId));
        }
      }),
    ).finally(() => (writing = false));

    const seen: string[] = [];
    let checkpoint = start;
    while (writing || seen.length < written.length) {
      const batch = await readAfter(db.sql, checkpoint, 25);
      if (batch.length === 0) {
        await sleep(2);
        continue;
      }
      seen.push(...batch.map((e) => e.requestId));
      checkpoint = checkpointOf(batch.at(-1)!);
    }
    await writersDone;
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(written));
  });
});
