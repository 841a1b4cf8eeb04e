import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TRANSCRIPT_LINES } from '../../core/envelope.js';
import { post, testApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { envelope } from '../support/events.js';
import { expectLoggedAsSent, expectRefusal, namedFields } from './answers.js';
import { nestedText } from './strings.js';

/** What the fuzzing found, pinned down so that it stays fixed whatever seed a run draws. */

let db: TestDatabase;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  db = await createTestDatabase();
  app = testApp(db.sql);
});
afterAll(() => db.drop());

let n = 0;
const send = (text: string) => app.request('/api/claude-hooks', post(text));
const fresh = (overrides: Parameters<typeof envelope>[0] = {}) => envelope({ requestId: `regression-${++n}`, ...overrides });

describe('ingest, as the fuzzing left it', () => {
  // postgres.js typed true as a boolean and null as SQL NULL: the insert failed with a 500.
  it.each([null, true, false, [true], [false, 'x'], [[true]], 0, '', '{"looks":"like json"}'])('stores the payload %j as sent', async (payload) => {
    const text = JSON.stringify(fresh({ payload }));
    const res = await send(text);
    expect(res.status).toBe(201);
    await expectLoggedAsSent(app, res, text);
  });

  // More rows than Postgres binds parameters for in one INSERT: a 500 until appends were sliced.
  it('stores a transcript chunk of ten thousand short lines, all in the transaction of its hook event', async () => {
    const sessionId = 'many-lines-session';
    const lines = Array.from({ length: 10_000 }, (_, i) => `{"type":"progress","i":${i}}`);
    const res = await send(JSON.stringify(fresh({ sessionId, transcript: [{ path: `/p/${sessionId}.jsonl`, offset: 0, lines }] })));
    expect(res.status).toBe(201);
    expect(((await res.json()) as { transcript: unknown }).transcript).toEqual({ lines: 10_000, stored: 10_000, duplicates: 0 });
    const [row] = await db.sql<{ count: number; transactions: number }[]>`
      select count(*)::int as count, count(distinct transaction_id::text)::int as transactions from arrakis.events where session_id = ${sessionId}`;
    expect(row).toEqual({ count: 10_001, transactions: 1 });
  });

  it(`refuses more than ${MAX_TRANSCRIPT_LINES} transcript lines in one envelope, naming transcript`, async () => {
    const lines = Array.from({ length: MAX_TRANSCRIPT_LINES + 1 }, () => '{}');
    const body = await expectRefusal(await send(JSON.stringify(fresh({ transcript: [{ path: '/p/x.jsonl', offset: 0, lines }] }))), 400);
    expect(namedFields(body)).toEqual(new Set(['transcript']));
  });

  // V8's message for `😀 not json` quotes half the emoji; jsonb refused the lone surrogate and the envelope with it.
  it.each(['😀 not json', '[😀]', `${'x'.repeat(9)}😀${'y'.repeat(40)}`])('stores the unparsable transcript line %j as written', async (line) => {
    const text = JSON.stringify(fresh({ transcript: [{ path: `/p/emoji-${++n}.jsonl`, offset: 0, lines: [line] }] }));
    const res = await send(text);
    expect(res.status).toBe(201);
    await expectLoggedAsSent(app, res, text);
  });

  // JSON.stringify overflowed its stack on the client info: a 500.
  it('refuses client info nested past 256 levels with a 400 naming client', async () => {
    const text = JSON.stringify(fresh()).replace('"client":{', `"client":{"trace":${nestedText(100_000)},`);
    expect(namedFields(await expectRefusal(await send(text), 400))).toEqual(new Set(['client']));
  });

  // Stored, it read back as a different instant (postgres.js reads year 0099 as 1999), or Postgres refused it with a 400 naming nothing.
  it.each(['0099-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '9999-12-31T23:59:59-01:00'])('refuses capturedAt %s with a 400 naming it', async (capturedAt) => {
    expect(namedFields(await expectRefusal(await send(JSON.stringify(fresh({ capturedAt }))), 400))).toEqual(new Set(['capturedAt']));
  });

  // Text columns turned them into U+FFFD: the event read back under another name.
  it.each(['sessionId', 'event'] as const)('refuses a lone surrogate in %s with a 400 naming it', async (field) => {
    const body = await expectRefusal(await send(JSON.stringify(fresh({ [field]: 'name\ud800' }))), 400);
    expect(namedFields(body)).toEqual(new Set([field]));
  });

  // JSON.parse reads 1e400 as Infinity, which was stored as null.
  it('refuses a payload number beyond a double with a 400 naming where it is', async () => {
    const body = await expectRefusal(await send(JSON.stringify(fresh({ payload: { usage: { tokens: 0 } } })).replace('"tokens":0', '"tokens":1e400')), 400);
    expect(body.issues).toEqual([{ path: 'payload.usage.tokens', message: expect.stringMatching(/too large/) }]);
  });

  // jsonb refused them, and the whole event with them: now they become U+FFFD in the (unhashed) client info.
  it('stores client info holding NUL or a lone surrogate, with those replaced', async () => {
    const res = await send(JSON.stringify(fresh({ client: { host: 'dev\u0000box', hookVersion: '1\ud800' } })));
    expect(res.status).toBe(201);
    const { position } = (await res.json()) as { position: number };
    const [row] = await db.sql<{ client: unknown }[]>`select client from arrakis.events where position = ${position}`;
    expect(row!.client).toEqual({ host: 'dev\ufffdbox', hookVersion: '1\ufffd' });
  });
});
