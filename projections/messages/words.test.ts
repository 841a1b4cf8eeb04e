import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaleLog, SEARCH_WORD } from '../../bench/scale-log.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { scannedConversations, scannedSearch } from '../../test/support/search-scan.js';
import { listConversations } from '../conversations/queries.js';
import { summaries } from '../summaries/index.js';
import { conversations } from '../conversations/index.js';
import { startProjector, type Projector } from '../engine/projector.js';
import { requestRebuild } from '../engine/registry.js';
import type { DocProjection } from '../projection.js';
import { searchHistory } from '../search/queries.js';
import { usage } from '../usage/index.js';
import { messages } from './index.js';

/**
 * Each conversation's words (words.ts) must be exactly the lexemes of its prompts and answers,
 * through inserts, text changes and a rebuild's one-pass fill, and the searches must use them.
 */
let db: TestDatabase;
let projector: Projector;

beforeAll(async () => {
  db = await createTestDatabase();
  projector = await startProjector(db.sql, { projections: [conversations, summaries, messages, usage] as DocProjection<object>[], pollMs: 50, batchSize: 500 });
  // Given the scale benchmark's log of 12,000 events, folded a batch at a time (the insert and update triggers)...
  await scaleLog(db.sql).growTo(12_000);
  await projector.settled();
}, 120_000);
afterAll(async () => {
  await projector?.stop();
  await db?.drop();
});

/** The sessions whose word set differs from the lexemes of their searchable messages, computed afresh. */
const wrong = () => db.sql<{ session_id: string }[]>`
  with fresh as (
    select session_id, arrakis.lexeme_union(strip(to_tsvector('simple', coalesce(doc->>'text', '')))) as words, max(at) as at
      from arrakis.proj_messages where doc->>'kind' in ('prompt', 'assistant') group by 1)
  select coalesce(f.session_id, w.session_id) as session_id
    from fresh f full join arrakis.proj_messages__words w on w.session_id = f.session_id
   where f.words is distinct from w.words or f.at is distinct from w.at`;

describe("each conversation's words", () => {
  it('given messages folded batch by batch, then every session holds exactly the lexemes of its prompts and answers', async () => {
    const [{ n }] = (await db.sql<{ n: number }[]>`select count(*)::int as n from arrakis.proj_messages__words`) as unknown as [{ n: number }];
    expect(n).toBeGreaterThan(20);
    expect(await wrong()).toEqual([]);
  });

  it('when a message loses a word, then its session no longer holds it; when it gains one, it does', async () => {
    const [message] = await db.sql<{ key: string; session_id: string }[]>`
      select key, session_id from arrakis.proj_messages where doc->>'kind' = 'prompt' and doc->>'text' like '%' || ${SEARCH_WORD} || '%' limit 1`;
    const holds = async (word: string) =>
      (await db.sql`select 1 from arrakis.proj_messages__words where session_id = ${message!.session_id} and words @@ to_tsquery('simple', ${word})`).length > 0;
    await db.sql`update arrakis.proj_messages set doc = jsonb_set(doc, '{text}', to_jsonb('quuxword ' || (doc->>'text'))) where key = ${message!.key}`;
    expect(await holds('quuxword')).toBe(true);
    await db.sql`update arrakis.proj_messages set doc = jsonb_set(doc, '{text}', '"nothing else"') where key = ${message!.key}`;
    expect(await holds('quuxword')).toBe(false);
    expect(await wrong()).toEqual([]);
  });

  it('the list and the search read them: a word only the word sets hold is found by the list, one they lack is not searched for', async () => {
    const [{ session_id: session }] = (await db.sql<{ session_id: string }[]>`select session_id from arrakis.proj_messages__words order by at desc limit 1 offset 5`) as unknown as [{ session_id: string }];
    await db.sql`update arrakis.proj_messages__words set words = words || 'zzplanted'::tsvector where session_id = ${session}`;
    expect((await listConversations(db.sql, { q: 'zzplanted' })).items.map((c) => c.sessionId)).toEqual([session]);
    // A word in some older conversations only, which the newest messages do not hold: taken out of one, its hits are not found.
    const hits = (await searchHistory(db.sql, { q: SEARCH_WORD, limit: 100 })).items.filter((h) => h.key !== null);
    const from = hits[0]!.sessionId;
    await db.sql`update arrakis.proj_messages__words set words = ts_delete(words, ${SEARCH_WORD}::text) where session_id = ${from}`;
    const without = (await searchHistory(db.sql, { q: SEARCH_WORD, limit: 100 })).items.filter((h) => h.key !== null);
    expect(without.length).toBeLessThan(hits.length);
    expect(without.some((h) => h.sessionId === from)).toBe(false);
  });

  it('given a rebuild, then the new generation fills them in one pass, and the searches answer as reading every match does', async () => {
    await requestRebuild(db.sql, messages as DocProjection<object>);
    for (;;) {
      await projector.settled();
      const [row] = await db.sql<{ g: number }[]>`select active_generation as g from arrakis.projections where name = 'messages'`;
      if (row!.g > 1) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await wrong()).toEqual([]);
    for (const q of [SEARCH_WORD, 'fix', 'led', 'zzzz']) {
      expect(await listConversations(db.sql, { q, limit: 20 })).toEqual(await scannedConversations(db.sql, { q, limit: 20 }));
      expect(await searchHistory(db.sql, { q, limit: 20 })).toEqual(await scannedSearch(db.sql, { q, limit: 20 }));
    }
  });

  it('while the serving generation has no word sets (one from before them), the searches read the messages instead', async () => {
    await db.sql`drop view arrakis.proj_messages__words`;
    expect(await listConversations(db.sql, { q: SEARCH_WORD, limit: 20 })).toEqual(await scannedConversations(db.sql, { q: SEARCH_WORD, limit: 20 }));
    expect(await searchHistory(db.sql, { q: SEARCH_WORD, limit: 20 })).toEqual(await scannedSearch(db.sql, { q: SEARCH_WORD, limit: 20 }));
  });
});
