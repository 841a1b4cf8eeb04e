import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../../core/group-commit.js';
import { createLogger } from '../../core/log.js';
import { startProjector } from '../../projections/engine/projector.js';
import { allProjections } from '../../projections/index.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { hookEvent } from '../../test/support/events.js';
import { startChangeFeed, type FeedMessage } from './change-feed.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('the change feed', () => {
  it('starts before any projector has made the projections, quietly, and streams once they serve', async () => {
    const warnings: string[] = [];
    const feed = await startChangeFeed(db.sql, { pollMs: 20, logger: createLogger({ level: 'warn', write: (line) => warnings.push(line) }) });
    const messages: FeedMessage[] = [];
    const subscription = feed.subscribe().subscribe((message) => messages.push(message));
    const event = hookEvent();
    await createAppender(db.sql).append([event]);
    // Several safety polls go by with no projection table to read.
    await sleep(200);

    const projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
    await expect.poll(() => messages.some((m) => m.kind === 'change' && m.change.requestId === event.requestId), { timeout: 10_000 }).toBe(true);
    expect(warnings).toEqual([]);

    subscription.unsubscribe();
    await feed.close();
    await projector.stop();
  });
});
