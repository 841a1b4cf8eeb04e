import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilReadable } from '../../core/event-store.js';
import { envelopeEvents } from '../../core/envelope-events.js';
import { createAppender } from '../../core/group-commit.js';
import { startProjector } from '../../projections/engine/projector.js';
import { allProjections } from '../../projections/index.js';
import { testApp, testKeys } from '../../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { envelope } from '../../test/support/events.js';

let db: TestDatabase;
let app: ReturnType<typeof testApp>;
const session = 'eeeeeeee-5555-4000-8000-000000000005';
const other = 'ffffffff-6666-4000-8000-000000000006';
const base = `/api/conversations/${session}/messages`;
/** One prompt per second: entry N is `prompt:<session>:hook-<session>-r<N>`, in that order. */
const keyOf = (n: number) => `prompt:${session}:hook-${session}-r${n}`;

beforeAll(async () => {
  db = await createTestDatabase();
  app = testApp(db.sql);
  const prompt = (sessionId: string, n: number) =>
    envelopeEvents(envelope({
      requestId: `${sessionId}-r${n}`, event: 'UserPromptSubmit', sessionId, capturedAt: new Date(Date.UTC(2026, 10, 22, 8, 0, n)).toISOString(),
      payload: { session_id: sessionId, hook_event_name: 'UserPromptSubmit', cwd: '/home/dev/app', prompt: `Question ${n}` },
    }));
  await createAppender(db.sql).append([...Array.from({ length: 50 }, (_, n) => prompt(session, n)).flat(), ...prompt(other, 0)]);
  await untilReadable(db.sql);
  const projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
  await projector.settled();
  await projector.stop();
});
afterAll(() => db?.drop());

const get = async (path: string) => {
  const response = await app.request(path, { headers: { authorization: `Bearer ${testKeys.read}` } });
  return { status: response.status, body: (await response.json()) as any };
};
const texts = (items: Array<{ text: string }>) => items.map((m) => m.text);

describe('GET /api/conversations/:sessionId/messages?around=KEY', () => {
  it('answers the page holding the message, with cursors to read on either side', async () => {
    const { status, body } = await get(`${base}?around=${encodeURIComponent(keyOf(30))}&limit=10`);
    expect(status).toBe(200);
    expect(texts(body.items)).toEqual(Array.from({ length: 10 }, (_, i) => `Question ${27 + i}`));
    expect(body).toMatchObject({ hasBefore: true, hasMore: true });

    const later = await get(`${base}?after=${body.nextCursor}&limit=5`);
    expect(texts(later.body.items)).toEqual(['Question 37', 'Question 38', 'Question 39', 'Question 40', 'Question 41']);
    const earlier = await get(`${base}?before=${body.prevCursor}&limit=5`);
    expect(earlier.status).toBe(200);
    expect(texts(earlier.body.items)).toEqual(['Question 22', 'Question 23', 'Question 24', 'Question 25', 'Question 26']);
    expect(earlier.body.hasBefore).toBe(true);
    const first = await get(`${base}?before=${earlier.body.prevCursor}&limit=100`);
    expect(first.body.items).toHaveLength(22);
    expect(first.body).toMatchObject({ hasBefore: false, prevCursor: expect.any(String) });
  });

  it('fills the page from the target on when it is near either end', async () => {
    const start = await get(`${base}?around=${encodeURIComponent(keyOf(1))}&limit=10`);
    expect(texts(start.body.items)).toEqual(Array.from({ length: 10 }, (_, i) => `Question ${i}`));
    expect(start.body.hasBefore).toBe(false);
    const end = await get(`${base}?around=${encodeURIComponent(keyOf(48))}&limit=10`);
    expect(texts(end.body.items)).toEqual(['Question 45', 'Question 46', 'Question 47', 'Question 48', 'Question 49']);
    expect(end.body).toMatchObject({ hasBefore: true, hasMore: false });
  });

  it('says why when the key or the session is unknown, or the parameters clash', async () => {
    const unknown = await get(`${base}?around=${encodeURIComponent(`prompt:${session}:hook-nope`)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'not_found', message: `no message prompt:${session}:hook-nope in conversation ${session}` });
    // Another conversation's message is not this one's.
    const elsewhere = await get(`${base}?around=${encodeURIComponent(`prompt:${other}:hook-${other}-r0`)}`);
    expect(elsewhere.status).toBe(404);
    const noSession = await get(`/api/conversations/00000000-0000-4000-8000-000000000000/messages?around=${encodeURIComponent(keyOf(1))}`);
    expect(noSession.body).toMatchObject({ error: 'not_found', message: 'no conversation 00000000-0000-4000-8000-000000000000' });

    const both = await get(`${base}?around=${encodeURIComponent(keyOf(1))}&after=x`);
    expect(both.status).toBe(400);
    expect(both.body.message).toMatch(/around: give at most one of after, before and around/);
    const tooLong = await get(`${base}?around=${'k'.repeat(1001)}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toMatch(/^invalid parameters: around/);
    const badCursor = await get(`${base}?before=not-a-cursor`);
    expect(badCursor).toMatchObject({ status: 400, body: { message: 'invalid before' } });
  });
});
