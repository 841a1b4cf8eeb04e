import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../../core/event-store.js';
import { testApp, testKeys } from '../../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { hookEvent } from '../../test/support/events.js';

let db: TestDatabase;
let app: ReturnType<typeof testApp>;
const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 10, minute));
// Appended at 10:00, 10:01, ... 10:09: alternately a prompt in session a and a Stop in session b.
const stored: Array<{ position: number; type: string; sessionId: string; requestId: string }> = [];

beforeAll(async () => {
  db = await createTestDatabase();
  app = testApp(db.sql);
  for (let minute = 0; minute < 10; minute++) {
    const event = minute % 2 === 0 ? hookEvent({ sessionId: 'session-a' }) : hookEvent({ sessionId: 'session-b', event: 'Stop' });
    const [outcome] = await appendEvents(db.sql, [event], at(minute));
    stored.push({ position: outcome!.position, type: event.type, sessionId: event.sessionId, requestId: event.requestId });
  }
});
afterAll(() => db.drop());

interface Page {
  items: Array<{ position: number; type: string; sessionId: string; receivedAt: string }>;
  next: number | null;
}

async function get(path: string) {
  const response = await app.request(path, { headers: { authorization: `Bearer ${testKeys.read}` } });
  return { status: response.status, body: (await response.json()) as Page & { message?: string } };
}

/** Every page of a newest-first listing, following `next` until it is null. */
async function allNewestFirst(params: string, limit: number): Promise<{ positions: number[]; pages: number }> {
  const positions: number[] = [];
  let before: number | null = null;
  let pages = 0;
  do {
    const { status, body } = await get(`/api/events?order=desc&limit=${limit}${params}${before ? `&before=${before}` : ''}`);
    expect(status).toBe(200);
    positions.push(...body.items.map((item) => item.position));
    before = body.next;
    pages++;
  } while (before !== null);
  return { positions, pages };
}

const positions = (filter: (e: (typeof stored)[number]) => boolean = () => true) =>
  stored
    .filter(filter)
    .map((e) => e.position)
    .reverse();

describe('GET /api/events newest first', () => {
  it('pages from the newest event down with before=<next>, each event once, next null after the oldest', async () => {
    const { positions: seen, pages } = await allNewestFirst('', 3);
    expect(seen).toEqual(positions());
    expect(pages).toBe(4);
    const first = await get('/api/events?order=desc&limit=3');
    expect(first.body.next).toBe(stored[7]!.position);
  });

  it('filters by type, session and requestId as the oldest-first order does', async () => {
    expect((await allNewestFirst('&type=Stop', 2)).positions).toEqual(positions((e) => e.type === 'Stop'));
    expect((await allNewestFirst('&sessionId=session-a', 2)).positions).toEqual(positions((e) => e.sessionId === 'session-a'));
    const { body } = await get(`/api/events?order=desc&requestId=${stored[4]!.requestId}`);
    expect(body.items.map((item) => item.position)).toEqual([stored[4]!.position]);
    expect(body.next).toBeNull();
  });

  it('bounds received_at with from (inclusive) and to (exclusive), in both orders', async () => {
    const window = `&from=${at(3).toISOString()}&to=${encodeURIComponent('2026-11-25T11:07:00+01:00')}`;
    const expected = stored.slice(3, 7).map((e) => e.position);
    expect((await allNewestFirst(window, 100)).positions).toEqual([...expected].reverse());
    const ascending = await get(`/api/events?limit=100${window}`);
    expect(ascending.body.items.map((item) => item.position)).toEqual(expected);
    const combined = await get(`/api/events?order=desc&type=Stop${window}`);
    expect(combined.body.items.map((item) => item.receivedAt)).toEqual([at(5).toISOString(), at(3).toISOString()]);
  });

  it('keeps the oldest-first contract: after, limit, next', async () => {
    const { body } = await get(`/api/events?after=${stored[1]!.position}&limit=2`);
    expect(body.items.map((item) => item.position)).toEqual([stored[2]!.position, stored[3]!.position]);
    expect(body.next).toBe(stored[3]!.position);
    const explicit = await get(`/api/events?order=asc&after=${stored[1]!.position}&limit=2`);
    expect(explicit.body).toEqual(body);
  });

  it('lists a committed event at once though an older append is still in flight, and the older one on the next look', async () => {
    let finish!: () => void;
    const ended = new Promise<void>((resolve) => (finish = resolve));
    let opened!: (position: number) => void;
    const inFlightPosition = new Promise<number>((resolve) => (opened = resolve));
    const transaction = db.sql.begin(async (tx: TransactionSql) => {
      opened((await appendEvents(tx, [hookEvent({ sessionId: 'late' })], at(20)))[0]!.position);
      await ended;
    });
    const late = await inFlightPosition;
    const [later] = await appendEvents(db.sql, [hookEvent({ sessionId: 'late' })], at(21));
    expect(later!.position).toBeGreaterThan(late);
    const before = await get('/api/events?order=desc&sessionId=late');
    expect(before.body.items.map((item) => item.position)).toEqual([later!.position]);
    finish();
    await transaction;
    const after = await get('/api/events?order=desc&sessionId=late');
    expect(after.body.items.map((item) => item.position)).toEqual([later!.position, late]);
  });

  it.each([
    ['before without order=desc', '/api/events?before=5', /before/],
    ['after with order=desc', '/api/events?order=desc&after=5', /after/],
    ['an unknown order', '/api/events?order=sideways', /order/],
    ['a time without an offset', '/api/events?from=2026-11-25T10:00', /from/],
    ['a time that is no date', '/api/events?to=yesterday', /to/],
    ['to not after from', `/api/events?from=${at(5).toISOString()}&to=${at(5).toISOString()}`, /to: must be later than from/],
    ['a position that is no integer', '/api/events?order=desc&before=1.5', /before/],
  ])('refuses %s with a 400 naming the parameter', async (_, path, message) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(body.message).toMatch(message);
  });
});
