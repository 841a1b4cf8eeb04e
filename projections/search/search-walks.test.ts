import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaleLog } from '../../bench/scale-log.js';
import { createAppender } from '../../core/group-commit.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { scannedConversations, scannedSearch } from '../../test/support/search-scan.js';
import { hookEvent } from '../../test/support/events.js';
import { summaries } from '../summaries/index.js';
import { listConversations, type ConversationListOptions } from '../conversations/queries.js';
import { conversations } from '../conversations/index.js';
import { startProjector, type Projector } from '../engine/projector.js';
import type { DocProjection } from '../projection.js';
import { messages } from '../messages/index.js';
import { usage } from '../usage/index.js';
import type { SearchOptions } from './hits.js';
import { searchHistory } from './queries.js';

/**
 * The conversation list's `q` and GET /api/search read the newest conversations and messages
 * first and ask the GIN index only when those hold less than a page; each page must be the one
 * the old queries (test/support/search-scan.ts: every match read, then sorted) give, row for
 * row, for common, rare, prefix and multi-word searches, with a project, by cost, cursor-paged.
 */
let db: TestDatabase;
let projector: Projector;
let project: string;

beforeAll(async () => {
  db = await createTestDatabase();
  projector = await startProjector(db.sql, { projections: [conversations, summaries, messages, usage] as DocProjection<object>[], pollMs: 50, batchSize: 1000 });
  // Given the scale benchmark's log of 20,000 events (about 50 sessions in 30 projects, each
  // prompt naming one module of 40: `ledger` is in about one session in 40)...
  await scaleLog(db.sql).growTo(20_000);
  // ...and a session whose prompts only their UserPromptSubmit hooks reported (never paired, so shown).
  const hookOnly = '40000000-0000-4000-8000-000000000001';
  const prompts = Array.from({ length: 30 }, (_, t) =>
    hookEvent({
      sessionId: hookOnly,
      requestId: `${hookOnly}-${t}`,
      capturedAt: new Date(Date.UTC(2026, 0, 5, 3, t)).toISOString(),
      payload: { session_id: hookOnly, hook_event_name: 'UserPromptSubmit', transcript_path: `/home/dev/.claude/projects/-x/${hookOnly}.jsonl`, cwd: '/home/dev/project-99', prompt: `Please look at the ledger totals ${t}` },
    }));
  // ...and one whose 48 prompts are in two minutes, the first 45 in one (ties in time, which pages
  // split by key), older than all others, in capitals, with a word beyond ASCII.
  const tied = '40000000-0000-4000-8000-000000000002';
  const tiedPrompts = Array.from({ length: 48 }, (_, t) =>
    hookEvent({
      sessionId: tied,
      // Keys ordered against the order of writing, so the index's order within a minute is not the page's.
      requestId: `${tied}-${String(100 - t).padStart(3, '0')}`,
      capturedAt: new Date(Date.UTC(2025, 11, 1, 4, t < 45 ? 0 : 1)).toISOString(),
      payload: { session_id: tied, hook_event_name: 'UserPromptSubmit', transcript_path: `/home/dev/.claude/projects/-x/${tied}.jsonl`, cwd: '/home/dev/project-98', prompt: `LEDGER review at the Café ${t}` },
    }));
  await createAppender(db.sql).append([...prompts, ...tiedPrompts]);
  await projector.settled();
  await db.sql`analyze`;
  [{ project }] = (await db.sql<{ project: string }[]>`
    select doc->>'project' as project from arrakis.proj_conversations group by 1 order by count(*) desc, 1 limit 1`) as unknown as [{ project: string }];
}, 120_000);
afterAll(async () => {
  await projector?.stop();
  await db?.drop();
});

const words = ['fix', 'please', 'fi', 'led', 'ledger', 'totals', 'zzzz', '17 ledger', 'fix 3', 'ledger totals 2', 'review', 'café', 'caf'];

/** The first pages (twelve at most), following the cursors, of the new and the old query; they must be equal. */
async function pagesAlike<O extends { cursor?: string | null }, P extends { items: unknown[]; nextCursor: string | null }>(
  now: (options: O) => Promise<P>, before: (options: O) => Promise<P>, options: O): Promise<number> {
  let seen = 0;
  let cursor: string | null = null;
  for (let pages = 0; pages < 12; pages++) {
    const got: P = await now({ ...options, cursor });
    const expected: P = await before({ ...options, cursor });
    if (!isDeepStrictEqual(got, expected)) expect({ options, cursor, got }).toEqual({ options, cursor, got: expected });
    seen += expected.items.length;
    if (!expected.nextCursor) return seen;
    cursor = expected.nextCursor;
  }
  return seen;
}

describe('full-text search pages, newest first, as reading every match gives', () => {
  it('the conversation list with q: common, rare, prefix and multi-word, with a project, by cost', async () => {
    const found: Record<string, number> = {};
    for (const q of words) {
      for (const limit of [3, 20, 50]) {
        for (const options of [{}, { project }, { sort: 'cost' as const }, { project, sort: 'cost' as const }] as ConversationListOptions[]) {
          const seen = await pagesAlike(listConversations.bind(null, db.sql), scannedConversations.bind(null, db.sql), { ...options, q, limit });
          found[q] = Math.max(found[q] ?? 0, seen);
        }
      }
    }
    // Words in every conversation, in a few and in none.
    expect(found.fix).toBeGreaterThan(40);
    expect(found.ledger).toBeGreaterThan(1);
    expect(found.totals).toBe(1);
    expect(found.zzzz).toBe(0);
  }, 120_000);

  it('GET /api/search: common, rare, prefix and multi-word, with a project, hook-only prompts shown once', async () => {
    const found: Record<string, number> = {};
    for (const q of words) {
      for (const limit of [5, 20, 100]) {
        for (const options of [{}, { project }] as Array<Partial<SearchOptions>>) {
          const seen = await pagesAlike(searchHistory.bind(null, db.sql), scannedSearch.bind(null, db.sql), { ...options, q, limit } as SearchOptions);
          found[q] = Math.max(found[q] ?? 0, seen);
        }
      }
    }
    expect(found.fix).toBeGreaterThan(100);
    // Its 30 prompts and its title (the first of them).
    expect(found.totals).toBe(31);
    // Its 48 prompts and its title, however the words are written.
    expect(found.review).toBe(49);
    expect(found['café']).toBe(49);
    expect(found.zzzz).toBe(0);
  }, 180_000);
});
