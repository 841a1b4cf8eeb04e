import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../core/group-commit.js';
import { hookLogEvents } from '../core/hook-log-line.js';
import { testApp, testKeys } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { turnEvents } from '../test/support/sessions.js';
import { startProjector, type Projector } from './engine/projector.js';
import { requestRebuild } from './engine/registry.js';
import { tableOf } from './engine/tables.js';
import { getConversation, listConversations } from './conversations.js';
import { listHookHealth } from './hook-health.js';
import { listMessages } from './messages.js';
import { allProjections } from './index.js';
import { statsSummary, tokensForSession } from './stats.js';

let db: TestDatabase;
let projector: Projector;
const sessions = ['aaaaaaaa-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002'];

beforeAll(async () => {
  db = await createTestDatabase();
  projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50, batchSize: 37 });
  const appender = createAppender(db.sql);
  // Given two sessions of three turns each, appended while the projector runs.
  for (let turn = 0; turn < 3; turn++) {
    // The second session is always a little later, so it is the most recently active.
    await Promise.all(sessions.map((s, i) => appender.append(turnEvents(s, turn, new Date(Date.UTC(2026, 10, 20, 9, turn, i * 20))))));
  }
  // And the hook's own log line about the first prompt, as it ships it afterwards.
  const line = JSON.stringify({ time: '2026-11-20T09:00:00.000Z', event: 'UserPromptSubmit', sessionId: sessions[0], outcome: 'delivered', status: 201, attempts: 1 });
  await appender.append(hookLogEvents({ host: 'bench', file: '/home/dev/.claude/arrakis/logs/capture-2026-11-20.log', lines: [{ offset: 0, line }] }, new Date()));
  await projector.settled();
});
afterAll(async () => {
  await projector.stop();
  await db.drop();
});

describe('projections over a real log', () => {
  it('lists one conversation per session, newest activity first, with its counts', async () => {
    const page = await listConversations(db.sql, { limit: 10 });
    expect(page.items.map((c) => c.sessionId)).toEqual([...sessions].reverse());
    const conversation = await getConversation(db.sql, sessions[0]!);
    expect(conversation).toMatchObject({ sessionId: sessions[0], cwd: '/home/dev/app', promptCount: 3, toolUseCount: 3, title: 'Please fix test 0' });
    const firstOfTwo = await listConversations(db.sql, { limit: 1 });
    const second = await listConversations(db.sql, { limit: 1, cursor: firstOfTwo.nextCursor! });
    expect([...firstOfTwo.items, ...second.items].map((c) => c.sessionId)).toEqual([...sessions].reverse());
  });

  it('orders a conversation timeline with each tool use paired into one message', async () => {
    const { items } = await listMessages(db.sql, sessions[0]!, { limit: 100 });
    const tools = items.filter((m) => m.kind === 'tool');
    expect(tools).toHaveLength(3);
    expect(tools[0]).toMatchObject({ toolName: 'Bash', status: 'ok', durationMs: 900 });
    expect(items.filter((m) => m.kind === 'prompt')).toHaveLength(3);
    const times = items.map((m) => m.at);
    expect(times).toEqual([...times].sort());
  });

  it('counts each assistant response once per message.id, by model and per conversation', async () => {
    const summary = await statsSummary(db.sql);
    const sonnet = summary.tokens.byModel['claude-sonnet-4-5']!;
    // Each turn: one response spread over three transcript lines; 2 sessions × 3 turns.
    expect(sonnet.output).toBe(6 * 300);
    expect(sonnet.input).toBe(2 * (1200 + 1201 + 1202));
    expect(sonnet.costUsd).toBeGreaterThan(0);
    expect((await tokensForSession(db.sql, sessions[0]!))['claude-sonnet-4-5']!.output).toBe(3 * 300);
    expect(summary.tools.find((t) => t.name === 'Bash')).toMatchObject({ uses: 6, failures: 0 });
  });

  it('tracks hook health per client host', async () => {
    const [bench] = await listHookHealth(db.sql);
    expect(bench).toMatchObject({ host: 'bench', events: 6 * 4 });
  });

  it('reports every projection caught up through GET /api/projections, and refuses it without the read key', async () => {
    const app = testApp(db.sql);
    const res = await app.request('/api/projections', { headers: { authorization: `Bearer ${testKeys.read}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Array<{ name: string; lag: number; parked: number; status: string }>;
    expect(body.map((p) => p.name).sort()).toEqual(allProjections.map((p) => p.name).sort());
    expect(body.every((p) => p.lag === 0 && p.parked === 0 && p.status === 'running')).toBe(true);
    expect((await app.request('/api/projections')).status).toBe(401);
    expect((await app.request('/api/projections', { headers: { authorization: `Bearer ${testKeys.ingest}` } })).status).toBe(403);
    const health = (await (await app.request('/api/health')).json()) as { status: string; checks: { projections: Record<string, unknown> } };
    expect(health.status).toBe('healthy');
    expect(Object.keys(health.checks.projections).sort()).toEqual(allProjections.map((p) => p.name).sort());
  });

  it('gives the same documents when rebuilt from scratch as when maintained incrementally', async () => {
    for (const projection of allProjections) {
      const [{ active_generation: before }] = (await db.sql`select active_generation from arrakis.projections where name = ${projection.name}`) as unknown as [{ active_generation: number }];
      const incremental = await db.sql`select key, session_id, at, seq, doc from ${db.sql(tableOf(projection.name, before))} order by key`;
      const generation = await requestRebuild(db.sql, projection);
      await projector.settled();
      await projector.settled();
      const rebuilt = await db.sql`select key, session_id, at, seq, doc from ${db.sql(tableOf(projection.name, generation))} order by key`;
      expect(rebuilt, projection.name).toEqual(incremental);
      expect(incremental.length, projection.name).toBeGreaterThan(0);
    }
  });
});
