import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilReadable } from '../../core/event-store.js';
import { createAppender } from '../../core/group-commit.js';
import { startProjector } from '../../projections/engine/projector.js';
import { allProjections } from '../../projections/index.js';
import { testApp, testKeys } from '../../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { chatEvents } from '../../test/support/chats.js';

let db: TestDatabase;
let app: ReturnType<typeof testApp>;
const app1 = 'aaaaaaaa-1111-4000-8000-000000000001';
const other = 'bbbbbbbb-1111-4000-8000-000000000002';

beforeAll(async () => {
  db = await createTestDatabase();
  app = testApp(db.sql);
  const appender = createAppender(db.sql);
  const filler = 'We looked at the build, the tests and the logs before deciding anything at all here. ';
  await appender.append(chatEvents(app1, '/home/dev/app', 20, [
    ['Rename the parser module', `${filler.repeat(6)}Done: the quokka helper is gone, and ${filler.repeat(6)}`],
    ['Why does the quokka test flake?', 'A race in the timer.'],
  ]));
  await appender.append(chatEvents(other, '/home/dev/site', 21, [['Add a quokka to the landing page', 'Added it.']]));
  await untilReadable(db.sql);
  const projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
  await projector.settled();
  await projector.stop();
});
afterAll(() => db.drop());

const get = async (path: string, key: string | null = testKeys.read) => {
  const response = await app.request(path, key === null ? {} : { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as any };
};

describe('GET /api/search', () => {
  it('finds the word in titles, prompts and answers, newest first, each prompt once, with a snippet around it', async () => {
    const { status, body } = await get('/api/search?q=quokka');
    expect(status).toBe(200);
    const hits = body.items.map((h: any) => [h.sessionId, h.kind]);
    expect(hits).toEqual([
      [other, 'title'],
      [other, 'prompt'],
      [app1, 'prompt'],
      [app1, 'assistant'],
    ]);
    const [title, prompt, later, answer] = body.items;
    expect(title).toMatchObject({ title: 'Add a quokka to the landing page', project: 'site', key: null, snippet: 'Add a **quokka** to the landing page' });
    expect(prompt.snippet).toBe('Add a **quokka** to the landing page');
    expect(later).toMatchObject({ title: 'Rename the parser module', project: 'app', snippet: 'Why does the **quokka** test flake?' });
    expect(later.key).toMatch(/^prompt:/);
    expect(later.key).not.toContain(':hook-');
    // A long answer is cut to the words around the match, not sent whole.
    expect(answer.snippet).toMatch(/^… .*the \*\*quokka\*\* helper is gone.* …$/);
    expect(answer.snippet.length).toBeLessThan(300);
    expect(Date.parse(later.at)).toBeGreaterThan(Date.parse(answer.at));
  });

  it('matches every word as a prefix, and a project alone', async () => {
    expect((await get('/api/search?q=quok%20FLAK')).body.items.map((h: any) => h.snippet)).toEqual(['Why does the **quokka** test **flake**?']);
    const { body } = await get('/api/search?q=quokka&project=app');
    expect(body.items.map((h: any) => h.sessionId)).toEqual([app1, app1]);
    expect((await get('/api/search?q=%3A*%26!')).body).toEqual({ items: [], nextCursor: null });
  });

  it('pages with the cursor, every hit once', async () => {
    const first = await get('/api/search?q=quokka&limit=3');
    expect(first.body.items).toHaveLength(3);
    const rest = await get(`/api/search?q=quokka&limit=3&cursor=${first.body.nextCursor}`);
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();
    const all = (await get('/api/search?q=quokka')).body.items;
    expect([...first.body.items, ...rest.body.items]).toEqual(all);
  });

  it('refuses a missing q, a bad cursor and a request without the read key', async () => {
    expect((await get('/api/search')).status).toBe(400);
    expect((await get('/api/search?q=x&cursor=nope')).status).toBe(400);
    expect((await get('/api/search?q=quokka', null)).status).toBe(401);
    expect((await get('/api/search?q=quokka', testKeys.ingest)).status).toBe(403);
  });

});
