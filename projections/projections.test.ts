import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../core/group-commit.js';
import { hookLogEvents } from '../core/hook-log-line.js';
import { testApp, testKeys } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { turnEvents } from '../test/support/sessions.js';
import { envelopeEvents } from '../core/envelope-events.js';
import { transcriptLineEvent } from '../core/transcript-line.js';
import { startProjector, type Projector } from './engine/projector.js';
import { requestRebuild } from './engine/registry.js';
import { tableOf } from './engine/tables.js';
import { getConversation, listConversations } from './conversations/index.js';
import { listHookHealth } from './hook-health.js';
import { listMessages } from './messages/index.js';
import { allProjections } from './index.js';
import { statsSummary, tokensForSession } from './stats.js';

let db: TestDatabase;
let projector: Projector;
const sessions = ['aaaaaaaa-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002'];
const oldSession = 'dddddddd-0000-4000-8000-000000000004';

/** A Claude Code 1.0.x turn whose Task subagent is written into the session's own file. */
function sidechainTurn() {
  const at = (s: number) => new Date(Date.UTC(2025, 6, 1, 9, 0, s)).toISOString();
  const path = `/home/dev/.claude/projects/-home-dev-app/${oldSession}.jsonl`;
  const base = (uuid: string, parentUuid: string | null, s: number, more: object) => JSON.stringify({ sessionId: oldSession, version: '1.0.51', uuid, parentUuid, timestamp: at(s), ...more });
  const lines = [
    base('u1', null, 0, { type: 'user', message: { role: 'user', content: 'Where is the parser?' } }),
    base('t1', 'u1', 1, { type: 'assistant', message: { id: 'm1', content: [{ type: 'tool_use', id: 'toolu_task', name: 'Task', input: { prompt: 'Find the parser', description: 'find' } }] } }),
    base('s1', null, 2, { type: 'user', isSidechain: true, message: { role: 'user', content: 'Find the parser' } }),
    base('s2', 's1', 3, { type: 'assistant', isSidechain: true, message: { id: 'm2', content: [{ type: 'text', text: 'It is in parser.ts' }] } }),
    base('r1', 't1', 4, { type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_task', content: 'It is in parser.ts' }] } }),
  ];
  return envelopeEvents({ requestId: 'old-stop', event: 'Stop', sessionId: oldSession, capturedAt: at(5), payload: { session_id: oldSession, hook_event_name: 'Stop', transcript_path: path }, transcript: [{ path, offset: 0, lines }] });
}

beforeAll(async () => {
  db = await createTestDatabase();
  projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50, batchSize: 37 });
  const appender = createAppender(db.sql);
  // Given two sessions of three turns each, appended while the projector runs.
  for (let turn = 0; turn < 3; turn++) {
    // The second session is always a little later, so it is the most recently active.
    await Promise.all(sessions.map((s, i) => appender.append(turnEvents(s, turn, new Date(Date.UTC(2026, 10, 20, 9, turn, i * 20))))));
  }
  await appender.append(sidechainTurn());
  // And a 1.0.x summary line of a session not in the log: the summaries projection's one document.
  const summary = JSON.stringify({ type: 'summary', summary: 'An older session', leafUuid: 'leaf-elsewhere' });
  await appender.append([transcriptLineEvent(summary, { path: '/home/dev/.claude/projects/-home-dev-app/cccccccc-0000-4000-8000-000000000003.jsonl', offset: 0, sessionId: 'cccccccc-0000-4000-8000-000000000003', capturedAt: '2026-11-20T09:00:00.000Z' })]);
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
    expect(page.items.map((c) => c.sessionId).filter((s) => s !== oldSession)).toEqual([...sessions].reverse());
    const conversation = await getConversation(db.sql, sessions[0]!);
    expect(conversation).toMatchObject({ sessionId: sessions[0], cwd: '/home/dev/app', promptCount: 3, toolUseCount: 3, title: 'Please fix test 0' });
    const firstOfTwo = await listConversations(db.sql, { limit: 1 });
    const second = await listConversations(db.sql, { limit: 1, cursor: firstOfTwo.nextCursor! });
    expect([...firstOfTwo.items, ...second.items].map((c) => c.sessionId)).toEqual([...sessions].reverse());
  });

  it('nests a 1.0.x sidechain under the Task call that started it', async () => {
    const { items } = await listMessages(db.sql, oldSession);
    const run = items.find((m) => m.kind === 'tool')?.childAgentId;
    expect(run).toBe('sidechain-s1');
    expect(items.filter((m) => !m.agentId).map((m) => [m.kind, m.text ?? m.toolName])).toEqual([['prompt', 'Where is the parser?'], ['tool', 'Task']]);
    expect(items.filter((m) => m.agentId === run).map((m) => [m.kind, m.text])).toEqual([['prompt', 'Find the parser'], ['assistant', 'It is in parser.ts']]);
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
