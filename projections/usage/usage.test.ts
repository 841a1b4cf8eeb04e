import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../../core/event-store.js';
import type { NewEvent } from '../../core/events.js';
import { transcriptLineEvent } from '../../core/transcript-line.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { startProjector, type Projector } from '../engine/projector.js';
import { requestRebuild } from '../engine/registry.js';
import { getConversation, listConversations } from '../conversations/index.js';
import { allProjections } from '../index.js';
import { costUsd } from '../pricing.js';
import { usage } from './index.js';
import { blockUsage, dailyUsage, monthlyUsage, projectUsage, sessionUsage, statuslineUsage, weeklyUsage } from './queries.js';

/**
 * Given responses of two models in two projects on two hosts, some written as several lines
 * whose usage grows, when they are projected, the reports sum each response once, with its
 * last line's usage, where its first line put it.
 */
let db: TestDatabase;
let projector: Projector;
let offset = 0;

const at = (day: number, h: number, m: number, s = 0) => new Date(Date.UTC(2026, 10, day, h, m, s)).toISOString();
const u = (input: number, output: number, creation = 0, read = 0, oneHour = 0) => ({
  input_tokens: input, output_tokens: output, cache_creation_input_tokens: creation, cache_read_input_tokens: read,
  cache_creation: { ephemeral_5m_input_tokens: creation - oneHour, ephemeral_1h_input_tokens: oneHour },
});

function line(sessionId: string, id: string, model: string, usage: object, timestamp: string, cwd: string, host: string): NewEvent {
  const text = JSON.stringify({ type: 'assistant', sessionId, cwd, timestamp, uuid: `${id}-${offset}`, message: { id, model, role: 'assistant', content: [{ type: 'text', text: 'ok' }], usage } });
  const event = transcriptLineEvent(text, { path: `/home/dev/.claude/projects/x/${sessionId}.jsonl`, offset: (offset += 1000), sessionId, capturedAt: timestamp });
  return { ...event, client: { host } };
}

const A = 'aaaaaaaa-1111-4000-8000-000000000001';
const B = 'bbbbbbbb-1111-4000-8000-000000000002';
const opus = 'claude-opus-4-7';
const sonnet = 'claude-sonnet-4-5-20250929';

const first = [
  // Session A, project app on host alpha: one response in three lines (usage grows), straddling 10:00.
  line(A, 'msg_a1', opus, u(10, 1, 1000, 0), at(20, 9, 59, 58), '/home/dev/app', 'alpha'),
  line(A, 'msg_a1', opus, u(10, 5, 1000, 0), at(20, 9, 59, 59), '/home/dev/app', 'alpha'),
  line(A, 'msg_a1', opus, u(10, 200, 1000, 0, 400), at(20, 10, 0, 1), '/home/dev/app', 'alpha'),
  line(A, 'msg_a2', opus, u(3, 50, 0, 20_000), at(20, 10, 30), '/home/dev/app', 'alpha'),
  // Session B, project lib on host beta, the next day; a sonnet response, then one 6 h later (a new block after a gap).
  line(B, 'msg_b1', sonnet, u(100, 300, 0, 5_000), at(21, 8, 15), '/home/dev/lib', 'beta'),
];
const later = [
  line(B, 'msg_b1', sonnet, u(100, 900, 0, 5_000), at(21, 8, 15, 2), '/home/dev/lib', 'beta'),
  line(B, 'msg_b2', sonnet, u(7, 70, 0, 0), at(21, 14, 40), '/home/dev/lib', 'beta'),
];

beforeAll(async () => {
  db = await createTestDatabase();
  projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50, batchSize: 2 });
  await appendEvents(db.sql, first, new Date());
  await projector.settled();
  // The last line of msg_b1 arrives in a later batch: its usage replaces the first line's.
  await appendEvents(db.sql, later, new Date());
  await projector.settled();
});
afterAll(async () => {
  await projector.stop();
  await db.drop();
});

const priceOf = (model: string, usage: object, when: string) => costUsd(model, usage, new Date(when))!;
const costA1 = priceOf(opus, u(10, 200, 1000, 0, 400), at(20, 10, 0, 1));
const costA2 = priceOf(opus, u(3, 50, 0, 20_000), at(20, 10, 30));
const costB1 = priceOf(sonnet, u(100, 900, 0, 5_000), at(21, 8, 15, 2));
const costB2 = priceOf(sonnet, u(7, 70), at(21, 14, 40));

describe('usage reports', () => {
  it('sum each response once per day, with its last line, by model', async () => {
    const report = await dailyUsage(db.sql, { tz: 'UTC' });
    expect(report.daily.map((d) => d.date)).toEqual(['2026-11-20', '2026-11-21']);
    const [day1, day2] = report.daily;
    expect(day1).toMatchObject({ inputTokens: 13, outputTokens: 250, cacheCreationTokens: 1000, cacheCreation1hTokens: 400, cacheCreation5mTokens: 600, cacheReadTokens: 20_000, responses: 2, modelsUsed: [opus] });
    expect(day1!.totalCost).toBeCloseTo(costA1 + costA2, 10);
    expect(day2).toMatchObject({ inputTokens: 107, outputTokens: 970, responses: 2, modelsUsed: [sonnet] });
    expect(day2!.totalCost).toBeCloseTo(costB1 + costB2, 10);
    expect(report.totals.totalTokens).toBe(13 + 250 + 1000 + 20_000 + 107 + 970 + 5_000);
    // Cache reads saved what they would have cost as input, less what they cost.
    expect(report.totals.cacheSavingsUsd).toBeCloseTo(priceOf(opus, u(20_000, 0), at(20, 10, 30)) - priceOf(opus, u(0, 0, 0, 20_000), at(20, 10, 30)) + priceOf(sonnet, u(5_000, 0), at(21, 8, 15)) - priceOf(sonnet, u(0, 0, 0, 5_000), at(21, 8, 15)), 10);
  });

  it('count days in the zone asked for, and filter by project, host and model', async () => {
    // At UTC+14 msg_a1 (first line 23:59:58 there) stays on the 20th, msg_a2 moves to the 21st, msg_b2 to the 22nd.
    const kiritimati = await dailyUsage(db.sql, { tz: 'Pacific/Kiritimati' });
    expect(kiritimati.daily.map((d) => [d.date, d.responses])).toEqual([['2026-11-20', 1], ['2026-11-21', 2], ['2026-11-22', 1]]);
    expect((await dailyUsage(db.sql, { project: 'lib' })).totals.responses).toBe(2);
    expect((await dailyUsage(db.sql, { host: 'alpha' })).totals.outputTokens).toBe(250);
    expect((await dailyUsage(db.sql, { model: sonnet })).daily.map((d) => d.date)).toEqual(['2026-11-21']);
    expect((await dailyUsage(db.sql, { since: '2026-11-21', until: '2026-11-21' })).totals.responses).toBe(2);
    const byProject = await dailyUsage(db.sql, { breakdown: 'project' });
    expect(byProject.daily.map((d) => d.breakdowns.map((b) => b.name))).toEqual([['app'], ['lib']]);
    expect((await weeklyUsage(db.sql)).weekly.map((w) => w.week)).toEqual(['2026-11-15']);
    expect((await monthlyUsage(db.sql)).monthly).toMatchObject([{ month: '2026-11', responses: 4 }]);
  });

  it('give sessions and projects their cost, costliest first', async () => {
    const { sessions, totals } = await sessionUsage(db.sql, { order: 'cost' });
    const a = [A, 'app', 'alpha', '/home/dev/app', [opus]];
    const b = [B, 'lib', 'beta', '/home/dev/lib', [sonnet]];
    expect(costA1 + costA2).toBeGreaterThan(costB1 + costB2);
    expect(sessions.map((s) => [s.sessionId, s.project, s.host, s.projectPath, s.modelsUsed])).toEqual([a, b]);
    expect(sessions[0]!.totalCost).toBeCloseTo(costA1 + costA2, 10);
    expect((await sessionUsage(db.sql, { order: 'recent' })).sessions.map((s) => s.sessionId)).toEqual([B, A]);
    expect((await sessionUsage(db.sql, { since: '2026-11-21' })).sessions.map((s) => s.sessionId)).toEqual([B]);
    expect(totals.responses).toBe(4);
    const projects = await projectUsage(db.sql);
    expect(projects.projects.map((p) => [p.project, p.sessions, p.responses])).toEqual(expect.arrayContaining([['app', 1, 2], ['lib', 1, 2]]));
  });

  it('cut 5-hour blocks as ccusage does, with a gap block, and burn rate only for the active one', async () => {
    const now = new Date(at(21, 15, 10));
    const { blocks } = await blockUsage(db.sql, { now });
    expect(blocks.map((b) => [b.startTime, b.isGap, b.entries, b.isActive])).toEqual([
      [at(20, 9, 0), false, 2, false],
      [new Date(Date.parse(at(20, 10, 30)) + 5 * 3_600_000).toISOString(), true, 0, false],
      [at(21, 8, 0), false, 1, false],
      [new Date(Date.parse(at(21, 8, 15, 0)) + 5 * 3_600_000).toISOString(), true, 0, false],
      [at(21, 14, 0), false, 1, true],
    ]);
    const active = blocks.at(-1)!;
    expect(active.burnRate).toBeNull(); // one response: no duration to rate
    expect((await blockUsage(db.sql, { now, active: true })).blocks.map((b) => b.id)).toEqual([at(21, 14, 0)]);
    const status = await statuslineUsage(db.sql, { sessionId: B, tz: 'UTC', now });
    expect(status.session!.costUsd).toBeCloseTo(costB1 + costB2, 10);
    expect(status.today).toMatchObject({ date: '2026-11-21' });
    expect(status.today.costUsd).toBeCloseTo(costB1 + costB2, 10);
    expect(status.block).toMatchObject({ endTime: at(21, 19, 0), remainingMinutes: 230 });
  });

  it('give conversations their cost, and list them costliest first a page at a time', async () => {
    expect((await getConversation(db.sql, A))!.costUsd).toBeCloseTo(costA1 + costA2, 10);
    const first = await listConversations(db.sql, { sort: 'cost', limit: 1 });
    expect(first.items.map((c) => c.sessionId)).toEqual([A]);
    const second = await listConversations(db.sql, { sort: 'cost', limit: 1, cursor: first.nextCursor });
    expect(second.items.map((c) => c.sessionId)).toEqual([B]);
    expect(second.items[0]!.costUsd).toBeCloseTo(costB1 + costB2, 10);
    expect(second.nextCursor).toBeNull();
    expect((await listConversations(db.sql, { sort: 'cost', project: 'lib' })).items.map((c) => c.sessionId)).toEqual([B]);
  });

  it('rebuild to the same documents and rollups as kept incrementally', async () => {
    const rollups = () => Promise.all([
      db.sql`select hour, model, project, host, input, output, cache_creation, cache_5m, cache_1h, cache_read, cost, savings, responses from arrakis.proj_usage__hourly where responses > 0 order by 1, 2, 3, 4`,
      db.sql`select session_id, model, input, output, cache_read, cost, responses from arrakis.proj_usage__sessions where responses > 0 order by 1, 2`,
      db.sql`select key, doc from arrakis.proj_usage order by key`,
      db.sql`select session_id, cost from arrakis.proj_usage__costs order by 1`,
    ]);
    const incremental = await rollups();
    await requestRebuild(db.sql, usage as never);
    await projector.settled();
    await projector.settled();
    await expect.poll(async () => (await db.sql`select building_generation from arrakis.projections where name = 'usage'`)[0]!.building_generation, { timeout: 10_000 }).toBeNull();
    expect(await rollups()).toEqual(incremental);
    expect(incremental[0].length).toBeGreaterThan(0);
  });
});
