import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents, START, untilReadable } from '../../core/event-store.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { hookEvent } from '../../test/support/events.js';
import { createSharedReader } from './shared-read.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const append = async (n: number) => {
  await appendEvents(db.sql, Array.from({ length: n }, () => hookEvent()), new Date());
  await untilReadable(db.sql);
};

describe('a shared read of the log', () => {
  it('given slots at the same checkpoint, when they read together, then one answer serves them all', async () => {
    await append(3);
    const reader = createSharedReader(db.sql);
    const [a, b, c] = await Promise.all([reader.read(START, 10), reader.read(START, 10), reader.read(START, 10)]);
    expect(a).toHaveLength(3);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('given a read in flight, when new events wake the projector, then later readers do not join it', async () => {
    const reader = createSharedReader(db.sql);
    const before = reader.read(START, 100);
    expect(reader.read(START, 100)).toBe(before);
    reader.invalidate();
    const after = reader.read(START, 100);
    expect(after).not.toBe(before);
    expect(reader.read(START, 100)).toBe(after);
    await Promise.all([before, after]);
  });

  it('given a finished read, when the same question is asked again, then it is asked of the log afresh', async () => {
    const reader = createSharedReader(db.sql);
    const first = await reader.read(START, 100);
    await append(1);
    expect(await reader.read(START, 100)).toHaveLength(first.length + 1);
  });
});
