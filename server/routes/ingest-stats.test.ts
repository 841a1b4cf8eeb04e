import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsPerMinute } from '../../core/event-rate.js';
import { appendEvents } from '../../core/event-store.js';
import { silentLogger } from '../../core/log.js';
import { createAppender } from '../../core/group-commit.js';
import { post, testKeys } from '../../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { hookEvent } from '../../test/support/events.js';
import { createApp } from '../app.js';
import { createKeyring } from '../keyring.js';
import { createMetrics } from '../metrics.js';
import { onError } from '../on-error.js';
import { ingestStatsRoutes } from './ingest-stats.js';

let db: TestDatabase;
let now = new Date('2026-11-25T10:30:20Z');
const clock = () => now;
// The app refuses ingest requests into the metrics; the route reads them with the same clock.
let app: ReturnType<typeof createApp>;
let stats: ReturnType<typeof ingestStatsRoutes>;
beforeAll(async () => {
  db = await createTestDatabase();
  const metrics = createMetrics({ sql: db.sql, clock });
  app = createApp({ sql: db.sql, appender: createAppender(db.sql, { clock }), keys: testKeys, metrics });
  stats = ingestStatsRoutes({ sql: db.sql, keyring: createKeyring(testKeys), metrics, clock }).onError(onError(silentLogger));
  await appendEvents(db.sql, [hookEvent(), hookEvent()], new Date('2026-11-25T10:28:05Z'));
  await appendEvents(db.sql, [hookEvent()], new Date('2026-11-25T10:28:59.999Z'));
  await appendEvents(db.sql, [hookEvent()], new Date('2026-11-25T10:30:00Z'));
  // Outside a 60-minute window, and after "now": neither is counted.
  await appendEvents(db.sql, [hookEvent()], new Date('2026-11-25T09:30:59Z'));
  await appendEvents(db.sql, [hookEvent()], new Date('2026-11-25T10:31:00Z'));
});
afterAll(() => db.drop());

interface Buckets {
  minutes: number;
  rejectedSince: string;
  buckets: Array<{ at: string; events: number; rejected: number }>;
}

const get = async (path: string) => {
  const response = await stats.request(path, { headers: { authorization: `Bearer ${testKeys.read}` } });
  return { status: response.status, body: (await response.json()) as Buckets };
};

describe('GET /api/stats/ingest', () => {
  it('counts events received per minute over the window, oldest first, the current minute last', async () => {
    const { status, body } = await get('/api/stats/ingest');
    expect(status).toBe(200);
    expect(body.minutes).toBe(60);
    expect(body.buckets).toHaveLength(60);
    expect(body.buckets[0]!.at).toBe('2026-11-25T09:31:00.000Z');
    expect(body.buckets.at(-1)).toEqual({ at: '2026-11-25T10:30:00.000Z', events: 1, rejected: 0 });
    expect(body.buckets.at(-3)).toEqual({ at: '2026-11-25T10:28:00.000Z', events: 3, rejected: 0 });
    expect(body.buckets.reduce((sum, b) => sum + b.events, 0)).toBe(4);
  });

  it('counts the ingest requests this process refused, in the minute they were refused', async () => {
    const refused = await app.request('/api/claude-hooks', post('{}', { authorization: 'Bearer wrong-key-0123456789' }));
    expect(refused.status).toBe(401);
    expect((await app.request('/api/claude-hooks', post('not json'))).status).toBe(400);
    now = new Date('2026-11-25T10:31:10Z');
    expect((await app.request('/api/claude-hooks', post('{}'))).status).toBe(400);
    const { body } = await get('/api/stats/ingest?minutes=3');
    expect(body.buckets).toEqual([
      { at: '2026-11-25T10:29:00.000Z', events: 0, rejected: 0 },
      { at: '2026-11-25T10:30:00.000Z', events: 1, rejected: 2 },
      { at: '2026-11-25T10:31:00.000Z', events: 1, rejected: 1 },
    ]);
    expect(body.rejectedSince).toBe('2026-11-25T10:30:20.000Z');
  });

  it('reads only the window, through the BRIN index on received_at', async () => {
    const queries: string[] = [];
    const spy = postgres(db.url, { max: 1, onnotice: () => {}, debug: (_c, query) => queries.push(query) });
    try {
      await eventsPerMinute(spy, { minutes: 60, now });
    } finally {
      await spy.end();
    }
    const query = queries.find((q) => q.includes('date_bin'))!;
    // With a sequential scan priced out, the plan shows whether the window's bounds can use the index.
    const plan = await db.sql.begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      return tx.unsafe(`explain (format json) ${query}`, [new Date('2026-11-25T09:32:00Z'), new Date('2026-11-25T10:32:00Z')]);
    });
    expect(JSON.stringify(plan)).toContain('"Index Name":"events_received_at"');
  });

  it.each(['0', '1441', 'an-hour', '2.5'])('refuses minutes=%s with a 400', async (minutes) => {
    expect((await get(`/api/stats/ingest?minutes=${minutes}`)).status).toBe(400);
  });
});
