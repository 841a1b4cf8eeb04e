import { untilReadable } from '../../core/event-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../../core/group-commit.js';
import { startProjector } from '../../projections/engine/projector.js';
import { allProjections } from '../../projections/index.js';
import { testApp, testKeys } from '../../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { turnEvents } from '../../test/support/sessions.js';

let db: TestDatabase;
let app: ReturnType<typeof testApp>;
// One session a day, its last activity in the morning (UTC) of 20, 21 and 22 November.
const days = ['2026-11-20', '2026-11-21', '2026-11-22'];
const sessionOf = (day: string) => `dddddddd-0000-4000-8000-0000000000${day.slice(-2)}`;

beforeAll(async () => {
  db = await createTestDatabase();
  app = testApp(db.sql);
  await createAppender(db.sql).append(days.flatMap((day) => turnEvents(sessionOf(day), 0, new Date(`${day}T09:00:00Z`))));
  await untilReadable(db.sql);
  const projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
  await projector.settled();
  await projector.stop();
});
afterAll(() => db.drop());

const get = async (path: string) => {
  const response = await app.request(path, { headers: { authorization: `Bearer ${testKeys.read}` } });
  return { status: response.status, body: (await response.json()) as any };
};
const listed = async (query: string) => (await get(`/api/conversations?${query}`)).body.items.map((c: any) => c.sessionId);

describe('GET /api/conversations?host', () => {
  it('keeps the conversations a hook on that machine reported on', async () => {
    expect(await listed('host=bench')).toHaveLength(days.length);
    expect(await listed('host=elsewhere')).toEqual([]);
  });
});

describe('GET /api/conversations from & to', () => {
  it('keeps conversations whose last activity is at or after from and before to', async () => {
    expect(await listed('from=2026-11-21')).toEqual([sessionOf('2026-11-22'), sessionOf('2026-11-21')]);
    expect(await listed('to=2026-11-21')).toEqual([sessionOf('2026-11-20')]);
    expect(await listed('from=2026-11-21&to=2026-11-22')).toEqual([sessionOf('2026-11-21')]);
    expect(await listed('from=2026-11-21T09:00:07Z&to=2026-11-21T09:00:08Z')).toEqual([sessionOf('2026-11-21')]);
    expect(await listed('from=2026-11-21T09:00:08Z&to=2026-11-21T10:00:00Z')).toEqual([]);
  });

  it('reads instants with an offset as the same instant in UTC', async () => {
    // 10:00 in Paris (+01:00) is 09:00 UTC: the session of the 21st was active from 09:00:00 to 09:00:07.
    expect(await listed(`from=${encodeURIComponent('2026-11-21T10:00:00+01:00')}&to=2026-11-21T12:00:00Z`)).toEqual([sessionOf('2026-11-21')]);
  });

  it('combines with the other filters and pages with the cursor', async () => {
    const first = await get('/api/conversations?from=2026-11-20&limit=2');
    expect(first.body.items).toHaveLength(2);
    const rest = await get(`/api/conversations?from=2026-11-20&limit=2&cursor=${first.body.nextCursor}`);
    expect([...first.body.items, ...rest.body.items].map((c: any) => c.sessionId)).toEqual([...days].reverse().map(sessionOf));
    expect(await listed('from=2026-11-21&status=ended')).toEqual([]);
    expect(await listed('to=2026-11-22&status=waiting')).toEqual([sessionOf('2026-11-21'), sessionOf('2026-11-20')]);
  });

  it.each([
    ['from=yesterday', 'from'],
    ['to=2026-13-01', 'to'],
    ['from=2026-02-30', 'from'],
    ['from=2026-11-21T09:00:00', 'from'],
    ['from=2026-11-22&to=2026-11-21', 'from'],
  ])('%s: 400 naming %s', async (query, field) => {
    const { status, body } = await get(`/api/conversations?${query}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'bad_request', issues: [expect.objectContaining({ path: field })] });
  });
});
