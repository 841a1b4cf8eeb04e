import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilReadable } from '../../core/event-store.js';
import { createAppender } from '../../core/group-commit.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { turnEvents } from '../../test/support/sessions.js';
import { startProjector } from '../engine/projector.js';
import { allProjections } from '../index.js';
import { listConversations, type ConversationListOptions } from './queries.js';

let db: TestDatabase;
const SESSIONS = 120;
// Two sessions at each start time, so pages also split ties on the last activity.
// Their first 8 characters differ: turnEvents names its transcript lines' ids after them.
const sessionOf = (i: number) => `${String(i).padStart(8, '0')}-0000-4000-8000-cccccccccccc`;

beforeAll(async () => {
  db = await createTestDatabase();
  const start = Date.parse('2026-11-01T09:00:00Z');
  const events = Array.from({ length: SESSIONS }, (_, i) => turnEvents(sessionOf(i), i % 3, new Date(start + Math.floor(i / 2) * 60_000))).flat();
  await createAppender(db.sql).append(events);
  await untilReadable(db.sql);
  const projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
  await projector.settled();
  await projector.stop();
});
afterAll(() => db.drop());

async function pagedThrough(options: ConversationListOptions, limit: number): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await listConversations(db.sql, { ...options, limit, cursor });
    keys.push(...page.items.map((c) => c.sessionId));
    cursor = page.nextCursor;
  } while (cursor);
  return keys;
}

/** The rows the list's index scan reads past before its page, for the page after `cursor`, with only indexes to read by. */
async function skippedBefore(options: ConversationListOptions, cursor: string): Promise<number> {
  const queries: Array<{ query: string; params: unknown[] }> = [];
  const spy = postgres(db.url, { max: 1, onnotice: () => {}, debug: (_c, query, params) => queries.push({ query, params: params as unknown[] }) });
  try {
    await listConversations(spy, { ...options, limit: 10, cursor });
  } finally {
    await spy.end();
  }
  const { query, params } = queries.at(-1)!;
  const [row] = await db.sql.begin(async (tx) => {
    await tx`set local enable_seqscan = off`;
    await tx`set local enable_sort = off`;
    return tx.unsafe(`explain (analyze, format json) ${query}`, params as never[]);
  });
  const nodes = (node: any): any[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
  return nodes(row!['QUERY PLAN'][0].Plan)
    .filter((node) => String(node['Node Type']).includes('Index') && /_at$|_costs_order$/.test(node['Index Name'] ?? ''))
    .reduce((sum, node) => sum + (node['Rows Removed by Filter'] ?? 0), 0);
}

describe('the conversation list paged by its cursor', () => {
  it('given pages of 7, when read to the end, then they hold every conversation once, in the order of one page', async () => {
    for (const sort of ['recent', 'cost'] as const) {
      const whole = (await listConversations(db.sql, { sort, limit: 200 })).items.map((c) => c.sessionId);
      expect(whole).toHaveLength(SESSIONS);
      expect(await pagedThrough({ sort }, 7)).toEqual(whole);
    }
  });

  it('given a cursor 100 conversations deep, when the next page is read, then its index scan starts at the cursor', async () => {
    for (const sort of ['recent', 'cost'] as const) {
      let cursor: string | null = null;
      for (let read = 0; read < 100; read += 20) cursor = (await listConversations(db.sql, { sort, limit: 20, cursor })).nextCursor;
      // From an OR of the cursor's columns alone, the scan read the 100 rows before it and dropped them.
      expect(await skippedBefore({ sort }, cursor!)).toBeLessThanOrEqual(2);
    }
  });
});
