import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../core/group-commit.js';
import { hookLogEvents } from '../core/hook-log-line.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { startProjector, type Projector } from './engine/projector.js';
import { HOOK_LOG_SEARCH, listHookLogs } from './hook-logs-queries.js';
import { hookLogsProjection } from './hook-logs.js';

/**
 * A search over more lines than it walks before asking the GIN index: common words (found
 * among the newest lines), rare ones (found through the index), with a level and a cursor,
 * page for page what filtering and sorting every line gives.
 */
let db: TestDatabase;
let projector: Projector;
const LINES = 1300;

beforeAll(async () => {
  db = await createTestDatabase();
  projector = await startProjector(db.sql, { projections: [hookLogsProjection], pollMs: 50, batchSize: 500 });
  const appender = createAppender(db.sql);
  // Given 1,300 lines of two hosts: most delivered, every 13th spooled, every 400th dead-lettered.
  for (const host of ['alpha', 'beta']) {
    const lines = Array.from({ length: LINES / 2 }, (_, i) => ({
      offset: i * 200,
      line: JSON.stringify({ time: new Date(Date.UTC(2026, 10, 25, 10, 0, i)).toISOString(), event: 'PostToolUse', sessionId: `s${i % 7}`,
        outcome: i % 400 === 7 ? 'dead-letter' : i % 13 === 0 ? 'spooled' : 'delivered', status: 201, attempts: 1 }),
    }));
    await appender.append(hookLogEvents({ host, file: `/home/dev/.claude/arrakis/logs/${host}.log`, lines }, new Date()));
  }
  await projector.settled();
});
afterAll(async () => {
  await projector.stop();
  await db.drop();
});

/** Every matching line's id, newest first, by filtering the whole table. */
async function everyMatch(word: string, level?: string): Promise<string[]> {
  const rows = await db.sql<{ key: string }[]>`
    select key from arrakis.proj_hook_logs
     where ${db.sql.unsafe(HOOK_LOG_SEARCH)} @@ to_tsquery('simple', ${`${word}:*`}) ${level ? db.sql`and doc->>'level' = ${level}` : db.sql``}
     order by at desc, seq desc, key desc`;
  return rows.map((row) => row.key);
}

async function allPages(q: string, level?: string, limit = 50): Promise<string[]> {
  const ids: string[] = [];
  for (let before: string | null = null, pages = 0; pages < 100; pages++) {
    const page = await listHookLogs(db.sql, { q, level, limit, before });
    ids.push(...page.items.map((item) => item.id));
    if (!page.nextCursor) break;
    before = page.nextCursor;
  }
  return ids;
}

describe('GET /api/hook-logs?q over many lines', () => {
  it('pages a common word as filtering every line does', async () => {
    const expected = await everyMatch('delivered');
    expect(expected.length).toBeGreaterThan(1000);
    expect((await listHookLogs(db.sql, { q: 'delivered', limit: 100 })).items.map((item) => item.id)).toEqual(expected.slice(0, 100));
    expect(await allPages('delivered', undefined, 200)).toEqual(expected);
  });

  it('finds a word in fewer lines than a page through the index, whatever the cursor', async () => {
    const rare = await everyMatch('dead');
    expect(rare).toHaveLength(4);
    expect(await allPages('dead', undefined, 3)).toEqual(rare);
    const spooled = await everyMatch('spooled', 'warn');
    expect(spooled.length).toBeGreaterThan(50);
    expect(await allPages('spooled', 'warn', 20)).toEqual(spooled);
  });
});
