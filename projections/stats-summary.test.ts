import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../core/envelope.js';
import { envelopeEvents } from '../core/envelope-events.js';
import type { NewEvent } from '../core/events.js';
import { createAppender } from '../core/group-commit.js';
import { transcriptLineEvent } from '../core/transcript-line.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { startProjector, type Projector } from './engine/projector.js';
import { statsProjection, statsSummary, tokensForSession, type StatsSummary } from './stats.js';

/** GET /api/stats over a real log: hook events and transcript lines through the projector into Postgres. */
let db: TestDatabase;
let projector: Projector;
let summary: StatsSummary;

const imported = '11111111-0000-4000-8000-000000000001';
const live = '22222222-0000-4000-8000-000000000002';
const old = '33333333-0000-4000-8000-000000000003';
const oldHooksOnly = '44444444-0000-4000-8000-000000000004';

const t = (s: number) => new Date(Date.UTC(2026, 6, 1, 10, 0, 0, s * 1000)).toISOString();

/** Transcript lines as `arrakis import` (or the hook) stores them, one file per session. */
function lines(sessionId: string, entries: Array<Record<string, unknown>>): NewEvent[] {
  const path = `/home/dev/.claude/projects/-home-dev-app/${sessionId}.jsonl`;
  return entries.map((entry, i) => transcriptLineEvent(JSON.stringify({ sessionId, uuid: `${sessionId}-${i}`, ...entry }), { path, offset: i * 1000, sessionId, capturedAt: t(0) }));
}
// Tool use lines marked <synthetic> carry no tokens, so only the response lines below count in tokens.byModel.
const toolUse = (id: string, name: string, s: number) => ({ type: 'assistant', timestamp: t(s), message: { id: `msg-${id}`, role: 'assistant', model: '<synthetic>', content: [{ type: 'tool_use', id, name, input: {} }] } });
const toolResult = (id: string, s: number, isError = false) => ({ type: 'user', timestamp: t(s), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'out', is_error: isError }] } });
const response = (id: string, model: string, s: number) => ({
  type: 'assistant', timestamp: t(s), message: { id, role: 'assistant', model, content: [{ type: 'text', text: 'Done.' }], usage: { input_tokens: 10, output_tokens: 20 } },
});

function hook(sessionId: string, event: string, s: number, payload: Record<string, unknown>): NewEvent[] {
  const envelope: Envelope = { requestId: `${sessionId}-${event}-${s}`, event, sessionId, capturedAt: t(s), payload: { session_id: sessionId, hook_event_name: event, ...payload }, client: { host: 'devbox' } };
  return envelopeEvents(envelope);
}

beforeAll(async () => {
  db = await createTestDatabase();
  projector = await startProjector(db.sql, { projections: [statsProjection], pollMs: 50 });
  const appender = createAppender(db.sql);
  await appender.append([
    // Given an imported history: transcript lines only, two Bash uses (one failed, one interrupted) and a Read.
    ...lines(imported, [
      toolUse('t1', 'Bash', 0), toolResult('t1', 2, true),
      toolUse('t2', 'Read', 3), toolResult('t2', 3.5),
      toolUse('t3', 'Bash', 4), toolResult('t3', 5),
      toolUse('t4', 'Bash', 6),
      response('msg-opus', 'claude-opus-4-7', 7), response('msg-local', 'local-llama-3', 8), response('msg-family', 'claude-opus-4-1-experimental', 9),
    ]),
    // Given a live session: one Edit seen by its hooks (reporting 1.5 s) and by its transcript lines (5 s apart),
    // and one whose PostToolUse says ok while its tool_result says is_error.
    ...hook(live, 'PreToolUse', 0, { tool_name: 'Edit', tool_use_id: 'e1' }),
    ...lines(live, [toolUse('e1', 'Edit', 0), toolResult('e1', 5), toolUse('e2', 'Edit', 6), toolResult('e2', 7, true)]),
    ...hook(live, 'PostToolUse', 2, { tool_name: 'Edit', tool_use_id: 'e1', duration_ms: 1500 }),
    ...hook(live, 'PostToolUse', 7, { tool_name: 'Edit', tool_use_id: 'e2' }),
    // Given a session from before 2.0.43: hooks without tool_use_id for two Greps, its transcript with all three.
    ...[0, 2].flatMap((s) => [...hook(old, 'PreToolUse', s, { tool_name: 'Grep' }), ...hook(old, 'PostToolUse', s + 1, { tool_name: 'Grep' })]),
    ...lines(old, [toolUse('g1', 'Grep', 0), toolResult('g1', 1), toolUse('g2', 'Grep', 2), toolResult('g2', 3), toolUse('g3', 'Grep', 4), toolResult('g3', 5)]),
    // And one whose transcript never arrived: only its hooks count.
    ...hook(oldHooksOnly, 'PreToolUse', 0, { tool_name: 'Glob' }),
    ...hook(oldHooksOnly, 'PostToolUse', 1, { tool_name: 'Glob' }),
  ]);
  await projector.settled();
  // When /api/stats is read.
  summary = await statsSummary(db.sql);
});
afterAll(async () => {
  await projector.stop();
  await db.drop();
});

const tool = (name: string) => summary.tools.find((entry) => entry.name === name);

describe('GET /api/stats tools, from hooks and transcript lines', () => {
  it('counts the tool uses, failures and durations of a transcript-only history', () => {
    expect(tool('Bash')).toEqual({ name: 'Bash', uses: 3, failures: 1, failureRate: 1 / 2, avgDurationMs: 1_500, maxDurationMs: 2_000 });
    expect(tool('Read')).toEqual({ name: 'Read', uses: 1, failures: 0, failureRate: 0, avgDurationMs: 500, maxDurationMs: 500 });
  });

  it('counts a use seen by hook and transcript once, with the hook’s duration, failed if either side says so', () => {
    expect(tool('Edit')).toEqual({ name: 'Edit', uses: 2, failures: 1, failureRate: 1 / 2, avgDurationMs: (1_500 + 1_000) / 2, maxDurationMs: 1_500 });
  });

  it('counts id-less hooks only for a session and tool whose transcript does not tell of the uses', () => {
    expect(tool('Grep')).toMatchObject({ uses: 3, failures: 0 });
    expect(tool('Glob')).toMatchObject({ uses: 1, failures: 0 });
    expect(summary.tools.map((entry) => entry.name)).toEqual(['Bash', 'Grep', 'Edit', 'Glob', 'Read']);
  });
});

describe('GET /api/stats tokens.byModel[model].priced', () => {
  it('is exact for a model the price table names, fallback for a family match, unknown (and unpriced) without a price', async () => {
    const { byModel, unpricedModels } = summary.tokens;
    expect(byModel['claude-opus-4-7']).toMatchObject({ input: 10, output: 20, priced: 'exact', costUsd: expect.any(Number) });
    expect(byModel['claude-opus-4-7']!.costUsd).toBeGreaterThan(0);
    expect(byModel['claude-opus-4-1-experimental']).toMatchObject({ priced: 'fallback' });
    expect(byModel['local-llama-3']).toEqual({ input: 10, output: 20, cacheCreation: 0, cacheRead: 0, costUsd: 0, priced: 'unknown' });
    expect(unpricedModels).toEqual(['local-llama-3']);
    expect((await tokensForSession(db.sql, imported))['local-llama-3']).toMatchObject({ priced: 'unknown' });
  });
});
