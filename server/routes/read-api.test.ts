import { untilReadable } from '../../core/event-store.js';
import { Hono } from 'hono';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../core/envelope.js';
import { envelopeEvents } from '../../core/envelope-events.js';
import type { NewEvent } from '../../core/events.js';
import { createAppender } from '../../core/group-commit.js';
import { listConversations } from '../../projections/conversations/index.js';
import { startProjector } from '../../projections/engine/projector.js';
import { allProjections } from '../../projections/index.js';
import { post, testApp, testKeys } from '../../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { envelope } from '../../test/support/events.js';
import { turnEvents } from '../../test/support/sessions.js';
import { createKeyring } from '../keyring.js';
import { conversationRoutes } from './conversations.js';

let db: TestDatabase;
let app: ReturnType<typeof testApp>;
const sessions = ['aaaaaaaa-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002'];
const chatSession = 'cccccccc-0000-4000-8000-000000000003';

/** A session of prompts and plain-text answers, so each word sits where the test says. */
function chatEvents(sessionId: string, exchanges: Array<[prompt: string, answer: string]>): NewEvent[] {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 21, 8, 0, s)).toISOString();
  const path = `/home/dev/.claude/projects/-home-dev-app/${sessionId}.jsonl`;
  return exchanges.flatMap(([prompt, answer], i) => {
    const base = { session_id: sessionId, transcript_path: path, cwd: '/home/dev/app' };
    const line = JSON.stringify({
      type: 'assistant', sessionId, uuid: `${sessionId}-a${i}`, timestamp: at(i * 10 + 2),
      message: { id: `msg_chat_${i}`, model: 'claude-sonnet-4-5', role: 'assistant', content: [{ type: 'text', text: answer }] },
    });
    const hook = (event: string, s: number, payload: object, transcript?: Envelope['transcript']) =>
      envelopeEvents(envelope({ requestId: `${sessionId}-${i}-${event}`, event, sessionId, capturedAt: at(i * 10 + s), payload: { ...base, hook_event_name: event, ...payload }, ...(transcript ? { transcript } : {}) }));
    return [...hook('UserPromptSubmit', 0, { prompt }), ...hook('Stop', 3, {}, [{ path, offset: i * 1000, lines: [line] }])];
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  app = testApp(db.sql);
  const appender = createAppender(db.sql);
  for (let turn = 0; turn < 3; turn++) {
    await Promise.all(sessions.map((s, i) => appender.append(turnEvents(s, turn, new Date(Date.UTC(2026, 10, 20, 9, turn, i * 20))))));
  }
  await appender.append(chatEvents(chatSession, [['Rename the parser module', 'Done: the quokka helper is gone.'], ['Now update the zanzibar fixtures', 'Updated them.']]));
  await untilReadable(db.sql);
  const projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
  await projector.settled();
  await projector.stop();
});
afterAll(() => db.drop());

const as = (key: string | null) => (key === null ? {} : { headers: { authorization: `Bearer ${key}` } });
const get = async (path: string, key: string | null = testKeys.read) => {
  const response = await app.request(path, as(key));
  return { status: response.status, body: (await response.json()) as any };
};

const readRoutes = [
  '/api/conversations',
  `/api/conversations/${sessions[0]}`,
  `/api/conversations/${sessions[0]}/messages`,
  '/api/events',
  '/api/events/1',
  '/api/stats',
  '/api/hook-health',
];

describe('read API access', () => {
  it.each(readRoutes)('%s: 401 without a key, 403 with the ingest key, 200 with the read and the admin key', async (path) => {
    expect((await get(path, null)).status).toBe(401);
    expect((await get(path, 'not-a-key-0123456789')).status).toBe(401);
    expect((await get(path, testKeys.ingest)).status).toBe(403);
    expect((await get(path, testKeys.read)).status).toBe(200);
    expect((await get(path, testKeys.admin)).status).toBe(200);
  });

  it.each([
    ['/api/conversations?limit=abc', 'limit'],
    ['/api/conversations?limit=0', 'limit'],
    ['/api/conversations?status=sleeping', 'status'],
    ['/api/conversations?cursor=not-a-cursor', 'cursor'],
    [`/api/conversations/${sessions[0]}/messages?limit=-1`, 'limit'],
    [`/api/conversations/${sessions[0]}/messages?after=garbage`, 'after'],
    ['/api/events?after=-1', 'after'],
    ['/api/events?after=1.5', 'after'],
    ['/api/events?after=99999999', 'after'],
    ['/api/events?limit=x', 'limit'],
    ['/api/events/abc', 'position'],
    ['/api/events/0', 'position'],
  ])('%s: 400 naming %s', async (path, field) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'bad_request', issues: [expect.objectContaining({ path: field })] });
  });

  it.each(['/api/conversations/no-such-session', '/api/conversations/no-such-session/messages', '/api/events/99999999'])('%s: 404', async (path) => {
    const { status, body } = await get(path);
    expect(status).toBe(404);
    expect(body.error).toBe('not_found');
  });

  it('leaves GET /api/conversations/stream to the stream route, even when mounted first', async () => {
    const alone = new Hono().route('/', conversationRoutes({ sql: db.sql, keyring: createKeyring(testKeys) }));
    const response = await alone.request('/api/conversations/stream', as(testKeys.read));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('no conversation');
    expect((await alone.request(`/api/conversations/${sessions[0]}`, as(testKeys.read))).status).toBe(200);
  });
});

describe('read API content', () => {
  it('lists conversations newest first, clamps the limit and pages with nextCursor', async () => {
    const { body } = await get('/api/conversations?limit=100000');
    expect(body.items.map((c: any) => c.sessionId)).toEqual([chatSession, sessions[1], sessions[0]]);
    expect(body.items[2]).toMatchObject({ title: 'Please fix test 0', cwd: '/home/dev/app', status: expect.any(String), promptCount: 3, toolUseCount: 3 });
    expect(body.items[2]).not.toHaveProperty('bookkeeping');
    const first = await get('/api/conversations?limit=2');
    const rest = await get(`/api/conversations?limit=2&cursor=${first.body.nextCursor}`);
    expect([...first.body.items, ...rest.body.items].map((c: any) => c.sessionId)).toEqual([chatSession, ...[...sessions].reverse()]);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('finds conversations by a word of an assistant answer or of a later prompt, as a prefix, and not by absent words', async () => {
    const found = async (q: string) => (await get(`/api/conversations?q=${encodeURIComponent(q)}`)).body.items.map((c: any) => c.sessionId);
    expect(await found('quokka')).toEqual([chatSession]);
    expect(await found('zanzib')).toEqual([chatSession]);
    expect(await found('parser')).toEqual([chatSession]);
    expect(await found('wombat')).toEqual([]);
    expect(await found('quokka wombat')).toEqual([]);
    expect(await found("tests & !'")).toEqual([sessions[1], sessions[0]]);
  });

  it('searches one word through the conversations\' word sets and several through the messages, each by its GIN index', async () => {
    expect(await db.sql`select indexname from pg_indexes where tablename = 'proj_messages_g1' and indexname = 'proj_messages_g1_text'`).toHaveLength(1);
    const indexesServing = async (q: string) => {
      const queries: Array<{ query: string; params: unknown[] }> = [];
      const spy = postgres(db.url, { max: 1, onnotice: () => {}, debug: (_c, query, params) => queries.push({ query, params: params as unknown[] }) });
      try {
        await listConversations(spy, { q });
        // The query that matches the words (a first one checks the newest conversations' last messages).
        const { query, params } = queries.find((x) => x.query.includes('proj_conversations') && x.query.includes('union all'))!;
        // With scans that need no index priced out, only an index the expression matches can serve the words.
        const plan = await db.sql.begin(async (tx) => {
          await tx`set local enable_seqscan = off`;
          await tx`set local enable_indexscan = off`;
          return tx.unsafe(`explain (format json) ${query}`, params as never[]);
        });
        // The index must answer the text match itself (a partial index also serves as a mere kind filter).
        const nodes = (node: any): any[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
        return nodes(plan[0]!['QUERY PLAN'][0].Plan)
          .filter((node) => ['proj_messages_g1_text', 'proj_messages_g1__words_words'].includes(node['Index Name']))
          .map((node) => [node['Index Name'], node['Index Cond']]);
      } finally {
        await spy.end();
      }
    };
    expect(await indexesServing('quokka')).toEqual([['proj_messages_g1__words_words', expect.stringMatching(/words @@ /)]]);
    expect(await indexesServing('quokka fix')).toEqual([['proj_messages_g1_text', expect.stringMatching(/doc ->> 'text'.* @@ /)]]);
  });

  it('shows one conversation with its tokens by model, and its messages a page at a time', async () => {
    const { body } = await get(`/api/conversations/${sessions[0]}`);
    expect(body).toMatchObject({ sessionId: sessions[0], title: 'Please fix test 0', promptCount: 3 });
    // Three responses of 300 output tokens each, every one spread over three transcript lines.
    expect(body.tokens.byModel['claude-sonnet-4-5']).toMatchObject({ output: 900, input: 1200 + 1201 + 1202, cacheRead: 27000 });

    const all = await get(`/api/conversations/${sessions[0]}/messages?limit=1000`);
    expect(all.body.items.filter((m: any) => m.kind === 'prompt').map((m: any) => m.text)).toEqual(['Please fix test 0', 'Please fix test 1', 'Please fix test 2']);
    const keys: string[] = [];
    let after = '';
    for (;;) {
      const page = await get(`/api/conversations/${sessions[0]}/messages?limit=2${after ? `&after=${after}` : ''}`);
      keys.push(...page.body.items.map((m: any) => m.key));
      if (!page.body.hasMore) break;
      after = page.body.nextCursor;
    }
    expect(keys).toEqual(all.body.items.map((m: any) => m.key));
  });

  it('answers /api/stats with events, tools and tokens.byModel over all conversations', async () => {
    const { body } = await get('/api/stats');
    expect(body.tokens.byModel['claude-sonnet-4-5']).toMatchObject({ output: 6 * 300, costUsd: expect.any(Number) });
    expect(body.events.byType.UserPromptSubmit).toBe(8);
    expect(body.tools).toEqual([expect.objectContaining({ name: 'Bash', uses: 6, failures: 0 })]);
  });

  it('answers /api/hook-health per client host', async () => {
    const { body } = await get('/api/hook-health');
    expect(body.map((h: any) => h.host).sort()).toEqual(['bench', 'devbox']);
    expect(body.find((h: any) => h.host === 'bench')).toMatchObject({ events: 2 * 3 * 4, retries: 0 });
  });
});

describe('GET /api/events', () => {
  it('lists events after a position, filters them, and returns a payload exactly as appended', async () => {
    const sent = envelope({ event: 'Odd', payload: { text: 'nul \u0000 and lone \ud800 here', n: 1 } });
    const stored = await app.request('/api/claude-hooks', post(JSON.stringify(sent)));
    expect(stored.status).toBe(201);
    const { position } = (await stored.json()) as { position: number };
    await untilReadable(db.sql);

    const one = await get(`/api/events/${position}`);
    expect(one.body).toMatchObject({ position, requestId: sent.requestId, type: 'Odd', sessionId: sent.sessionId, capturedAt: sent.capturedAt, client: sent.client });
    expect(one.body.payload).toEqual(sent.payload);

    const byType = await get('/api/events?type=Odd');
    expect(byType.body).toEqual({ items: [one.body], next: position });
    expect((await get(`/api/events?requestId=${sent.requestId}`)).body.items).toEqual([one.body]);
    const bySession = await get(`/api/events?sessionId=${sessions[0]}&limit=5000`);
    expect(bySession.body.items.length).toBeGreaterThan(0);
    expect(bySession.body.items.every((e: any) => e.sessionId === sessions[0])).toBe(true);
    // After the last one: nothing yet, and `next` stays put for polling.
    expect((await get(`/api/events?after=${position}`)).body).toEqual({ items: [], next: position });
  });

  it('pages through the whole log with next, every event once', async () => {
    const [row] = await db.sql<{ count: number }[]>`select count(*)::int as count from arrakis.events`;
    const count = row!.count;
    const seen: number[] = [];
    let after = 0;
    while (seen.length < count) {
      const { body } = await get(`/api/events?after=${after}&limit=7`);
      seen.push(...body.items.map((e: any) => e.position));
      after = body.next;
      if (body.items.length === 0) await sleep(10);
    }
    expect(new Set(seen).size).toBe(count);
    expect((await get(`/api/events?after=${after}`)).body.items).toEqual([]);
  });
});
