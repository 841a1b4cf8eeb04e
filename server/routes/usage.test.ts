import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../../core/event-store.js';
import { transcriptLineEvent } from '../../core/transcript-line.js';
import { startProjector } from '../../projections/engine/projector.js';
import { allProjections } from '../../projections/index.js';
import { testApp, testKeys } from '../../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';

let db: TestDatabase;
const session = 'cccccccc-2222-4000-8000-000000000003';
const read = { authorization: `Bearer ${testKeys.read}` };

beforeAll(async () => {
  db = await createTestDatabase();
  const lines = [1, 2, 3].map((n) =>
    transcriptLineEvent(
      JSON.stringify({ type: 'assistant', sessionId: session, cwd: '/home/dev/site', timestamp: `2026-11-0${n}T12:00:00.000Z`, uuid: `u${n}`,
        message: { id: `msg_${n}`, model: 'claude-opus-4-7', role: 'assistant', content: [{ type: 'text', text: 'ok' }], usage: { input_tokens: n, output_tokens: 10 * n } } }),
      { path: `/x/${session}.jsonl`, offset: n * 100, sessionId: session, capturedAt: `2026-11-0${n}T12:00:00.000Z` },
    ));
  await appendEvents(db.sql, lines, new Date());
  const projector = await startProjector(db.sql, { projections: allProjections });
  await projector.settled();
  await projector.stop();
});
afterAll(() => db.drop());

describe('GET /api/usage/*', () => {
  const app = () => testApp(db.sql);
  const get = async (path: string) => {
    const res = await app().request(path, { headers: read });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers daily, weekly, monthly, sessions, projects and blocks in ccusage\'s field names', async () => {
    const daily = await get('/api/usage/daily?since=20261102&until=2026-11-03&tz=Europe/Paris');
    expect(daily.status).toBe(200);
    expect(daily.body.daily).toMatchObject([{ date: '2026-11-02', inputTokens: 2, outputTokens: 20, modelsUsed: ['claude-opus-4-7'] }, { date: '2026-11-03', inputTokens: 3 }]);
    expect(daily.body.totals).toMatchObject({ inputTokens: 5, outputTokens: 50, totalTokens: 55, responses: 2 });
    expect((await get('/api/usage/weekly')).body.weekly).toMatchObject([{ week: '2026-11-01', responses: 3 }]);
    expect((await get('/api/usage/monthly?order=desc')).body.monthly).toMatchObject([{ month: '2026-11', responses: 3 }]);
    expect((await get('/api/usage/sessions?order=cost&limit=5')).body.sessions).toMatchObject([{ sessionId: session, project: 'site', projectPath: '/home/dev/site', lastActivity: '2026-11-03' }]);
    expect((await get('/api/usage/projects')).body.projects).toMatchObject([{ project: 'site', sessions: 1, responses: 3 }]);
    const blocks = (await get('/api/usage/blocks')).body.blocks as Array<{ isGap: boolean; entries: number }>;
    expect(blocks.filter((b) => !b.isGap).map((b) => b.entries)).toEqual([1, 1, 1]);
    expect((await get(`/api/usage/statusline?session=${session}&tz=UTC`)).body).toMatchObject({ session: { sessionId: session }, block: null });
  });

  it('refuses a bad date, zone or range with a 400 that names it, and anyone without the read key', async () => {
    for (const [query, named] of [['since=2026-13-01', 'since'], ['tz=Mars/Olympus', 'tz'], ['since=2026-11-03&until=2026-11-01', 'since'], ['breakdown=colour', 'breakdown'], ['tz=UTC;drop', 'tz']] as const) {
      const res = await get(`/api/usage/daily?${query}`);
      expect(res.status, query).toBe(400);
      expect(String(res.body.message), query).toContain(named);
    }
    expect((await app().request('/api/usage/daily')).status).toBe(401);
    expect((await app().request('/api/usage/blocks', { headers: { authorization: `Bearer ${testKeys.ingest}` } })).status).toBe(403);
  });
});
