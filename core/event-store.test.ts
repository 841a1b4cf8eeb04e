import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { envelope, hookEvent } from '../test/support/events.js';
import { envelopeEvents } from './envelope-events.js';
import { EVENTS_CHANNEL } from './event-store.js';
import { createAppender, type Appender } from './group-commit.js';

let db: TestDatabase;
let appender: Appender;
const receivedAt = new Date('2026-11-25T10:00:01.000Z');

beforeAll(async () => {
  db = await createTestDatabase();
  appender = createAppender(db.sql, { clock: () => receivedAt });
});
afterAll(() => db.drop());

const rowsFor = (requestId: string) => db.sql`select * from arrakis.events where request_id = ${requestId}`;

describe('append', () => {
  it('stores an event with its identity, hash, times, client and payload', async () => {
    const event = hookEvent();
    const [outcome] = await appender.append([event]);
    expect(outcome).toMatchObject({ requestId: event.requestId, status: 'stored' });
    const [row] = await rowsFor(event.requestId);
    expect(row).toMatchObject({
      position: outcome!.position,
      type: 'UserPromptSubmit',
      session_id: event.sessionId,
      content_hash: event.contentHash,
      payload: event.payload,
      client: { host: 'devbox', hookVersion: '1.0.0', attempt: 1 },
      payload_json: null,
    });
    expect(row!.captured_at.toISOString()).toBe('2026-11-25T10:00:00.000Z');
    expect(row!.received_at.toISOString()).toBe(receivedAt.toISOString());
  });

  it('answers a resend with the original position, even when the client block changed', async () => {
    const first = envelope();
    const [stored] = await appender.append(envelopeEvents(first));
    const [again] = await appender.append(envelopeEvents({ ...first, client: { host: 'devbox', attempt: 2 } }));
    expect(again).toEqual({ requestId: first.requestId, position: stored!.position, status: 'duplicate' });
    expect(await rowsFor(first.requestId)).toHaveLength(1);
  });

  it('reports a conflict when a requestId comes back with different content', async () => {
    const first = envelope();
    const [stored] = await appender.append(envelopeEvents(first));
    const [other] = await appender.append(envelopeEvents({ ...first, payload: { prompt: 'something else' } }));
    expect(other).toEqual({ requestId: first.requestId, position: stored!.position, status: 'conflict' });
    const [row] = await rowsFor(first.requestId);
    expect(row!.payload).toEqual(first.payload);
  });

  it('stores the same requestId sent 50 times concurrently once, answering every sender with its position', async () => {
    const event = hookEvent();
    const outcomes = (await Promise.all(Array.from({ length: 50 }, () => appender.append([event])))).flat();
    expect(await rowsFor(event.requestId)).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.position)).size).toBe(1);
    expect(outcomes.filter((o) => o.status === 'stored')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(49);
  });

  it('coalesces concurrent appends into shared transactions (group commit)', async () => {
    const events = Array.from({ length: 200 }, () => hookEvent());
    const outcomes = (await Promise.all(events.map((e) => appender.append([e])))).flat();
    expect(outcomes.every((o) => o.status === 'stored')).toBe(true);
    const [row] = await db.sql<{ transactions: number }[]>`
      select count(distinct transaction_id)::int as transactions from arrakis.events
      where request_id = any(${events.map((e) => e.requestId)})`;
    expect(row!.transactions).toBeLessThan(100);
  });

  it('fails only the bad request of a shared transaction', async () => {
    const good = Array.from({ length: 20 }, () => hookEvent());
    const bad = { ...hookEvent(), capturedAt: '2026-02-31T99:00:00Z' };
    const results = await Promise.allSettled([...good.map((e) => appender.append([e])), appender.append([bad])]);
    expect(results.slice(0, 20).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[20]!.status).toBe('rejected');
    expect(await rowsFor(bad.requestId)).toHaveLength(0);
  });

  it('wakes listeners once per committed transaction, without data in the payload', async () => {
    const received: string[] = [];
    const listener = await db.sql.listen(EVENTS_CHANNEL, (payload) => received.push(payload));
    await appender.append([hookEvent(), hookEvent()]);
    await expect.poll(() => received.length).toBe(1);
    expect(received).toEqual(['']);
    await listener.unlisten();
  });

  it('keeps payloads jsonb cannot hold (NUL, lone surrogates) exactly, beside a readable copy', async () => {
    const payload = { output: 'a\u0000b', broken: 'x\uD800y', ['k\u0000']: 1 };
    const [outcome] = await appender.append(envelopeEvents(envelope({ payload }), { bodyText: JSON.stringify(payload) }));
    const [row] = await db.sql`select payload, payload_json from arrakis.events where position = ${outcome!.position}`;
    expect(row!.payload).toEqual({ output: 'a\uFFFDb', broken: 'x\uFFFDy', ['k\uFFFD']: 1 });
    expect(JSON.parse(row!.payload_json)).toEqual(payload);
  });
});

describe('transcript lines', () => {
  const sessionId = randomUUID();
  const path = `/home/dev/.claude/projects/-home-dev-app/${sessionId}.jsonl`;
  const lines = [
    JSON.stringify({ type: 'user', sessionId, timestamp: '2026-11-25T09:59:00.000Z', message: { role: 'user', content: 'hi' } }),
    JSON.stringify({ type: 'assistant', sessionId, message: { id: 'msg_1', content: [{ type: 'text', text: 'hello' }] } }),
    '{"type":"assistant", truncated',
  ];

  it('become events of their own, each stored once however often it is sent', async () => {
    const first = envelopeEvents(envelope({ sessionId, transcript: [{ path, offset: 0, lines }] }));
    const resent = envelopeEvents(envelope({ sessionId, transcript: [{ path: `/backup/${sessionId}.jsonl`, offset: 0, lines }] }));
    const a = await appender.append(first);
    const b = await appender.append(resent);
    expect(a.map((o) => o.status)).toEqual(['stored', 'stored', 'stored', 'stored']);
    expect(b.map((o) => o.status)).toEqual(['stored', 'duplicate', 'duplicate', 'duplicate']);
    const rows = await db.sql`select type, session_id, captured_at, payload from arrakis.events
      where position = any(${a.slice(1).map((o) => o.position)}) order by position`;
    expect(rows.map((r) => r.type)).toEqual(['transcript.user', 'transcript.assistant', 'transcript.unparsed']);
    expect(rows[0]!.captured_at.toISOString()).toBe('2026-11-25T09:59:00.000Z');
    expect(rows.map((r) => r.payload.offset)).toEqual([0, Buffer.byteLength(lines[0]!) + 1, Buffer.byteLength(lines[0]! + lines[1]!) + 2]);
    expect(rows[2]!.payload).toMatchObject({ raw: lines[2], file: `${sessionId}.jsonl` });
  });
});
