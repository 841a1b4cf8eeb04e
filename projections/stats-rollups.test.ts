import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../core/envelope.js';
import { envelopeEvents } from '../core/envelope-events.js';
import type { NewEvent } from '../core/events.js';
import { createAppender } from '../core/group-commit.js';
import { transcriptLineEvent } from '../core/transcript-line.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { comparable, scannedSummary } from '../test/support/stats-scan.js';
import { startProjector, type Projector } from './engine/projector.js';
import { requestRebuild } from './engine/registry.js';
import { tableOf } from './engine/tables.js';
import { statsProjection, statsSummary } from './stats.js';

/**
 * GET /api/stats from the rollups (stats-rollups.ts) equals GET /api/stats summed from every
 * document as it was before them, on the same log: after inserts, after later lines of the
 * same responses and tool uses (last line wins, names and outcomes arriving late), and after
 * a rebuild.
 */
let db: TestDatabase;
let projector: Projector;
let append: (events: NewEvent[]) => Promise<unknown>;

const a = '11111111-0000-4000-8000-00000000000a';
const b = '22222222-0000-4000-8000-00000000000b';
const legacy = '33333333-0000-4000-8000-00000000000c';
const t = (s: number) => new Date(Date.UTC(2026, 6, 1, 10, 0, 0, s * 1000)).toISOString();
let offset = 0;

function lines(sessionId: string, entries: Array<Record<string, unknown>>): NewEvent[] {
  const path = `/home/dev/.claude/projects/-home-dev-app/${sessionId}.jsonl`;
  return entries.map((entry) => transcriptLineEvent(JSON.stringify({ sessionId, uuid: `${sessionId}-${offset}`, ...entry }), { path, offset: (offset += 1000), sessionId, capturedAt: t(0) }));
}
const response = (id: string, model: string, s: number, usage: Record<string, number>) => ({
  type: 'assistant', timestamp: t(s), message: { id, role: 'assistant', model, content: [{ type: 'text', text: 'Done.' }], usage },
});
const toolUse = (id: string, name: string, s: number) => ({ type: 'assistant', timestamp: t(s), message: { id: `msg-${id}`, role: 'assistant', model: '<synthetic>', content: [{ type: 'tool_use', id, name, input: {} }] } });
const toolResult = (id: string, s: number, isError = false) => ({ type: 'user', timestamp: t(s), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'out', is_error: isError }] } });
function hook(sessionId: string, event: string, s: number, payload: Record<string, unknown>): NewEvent[] {
  const envelope: Envelope = { requestId: `${sessionId}-${event}-${s}-${JSON.stringify(payload).length}`, event, sessionId, capturedAt: t(s), payload: { session_id: sessionId, hook_event_name: event, ...payload }, client: { host: 'devbox' } };
  return envelopeEvents(envelope);
}

async function expectRollupsEqualScan() {
  await projector.settled();
  const summary = await statsSummary(db.sql);
  const scanned = await scannedSummary(db.sql);
  expect(comparable(summary.tokens)).toEqual(comparable(scanned.tokens));
  expect(comparable(summary.tools)).toEqual(comparable(scanned.tools));
  // The event counts were never summed per event; they are read once now rather than three times.
  expect(summary.events).toEqual(scanned.events);
  expect(summary.ingestDelayMs).toEqual(scanned.ingestDelayMs);
  expect(Object.keys(summary)).toEqual(Object.keys(scanned));
  return summary;
}

beforeAll(async () => {
  db = await createTestDatabase();
  projector = await startProjector(db.sql, { projections: [statsProjection], pollMs: 50, batchSize: 7 });
  const appender = createAppender(db.sql);
  append = (events) => appender.append(events);
});
afterAll(async () => {
  await projector.stop();
  await db.drop();
});

describe('GET /api/stats from the rollups', () => {
  it('equals the documents summed, after inserts', async () => {
    // Given responses of an exactly priced model, a family match and an unknown one, with fractional costs,
    await append(lines(a, [
      response('r1', 'claude-opus-4-7', 1, { input_tokens: 10, output_tokens: 20, cache_creation_input_tokens: 300, cache_read_input_tokens: 4000 }),
      response('r2', 'claude-opus-4-7', 2, { input_tokens: 7, output_tokens: 3 }),
      response('r3', 'claude-opus-4-1-experimental', 3, { input_tokens: 1, output_tokens: 1 }),
      response('r4', 'local-llama-3', 4, { input_tokens: 5, output_tokens: 5 }),
      // and tool uses from lines: a failed Bash, an ok Read, one still running.
      toolUse('t1', 'Bash', 0), toolResult('t1', 2, true), toolUse('t2', 'Read', 3), toolResult('t2', 3.5), toolUse('t3', 'Bash', 4),
    ]));
    // and from hooks, one reporting its own duration,
    await append([...hook(b, 'PreToolUse', 0, { tool_name: 'Edit', tool_use_id: 'e1' }), ...hook(b, 'PostToolUse', 4, { tool_name: 'Edit', tool_use_id: 'e1' })]);
    // and id-less hooks of a session from before 2.0.43.
    await append([...hook(legacy, 'PreToolUse', 0, { tool_name: 'Grep' }), ...hook(legacy, 'PostToolUse', 1, { tool_name: 'Grep', duration_ms: 12.5 })]);
    // When /api/stats is read, then it says what summing every document says.
    const summary = await expectRollupsEqualScan();
    expect(Object.keys(summary.tokens.byModel)).toEqual(['claude-opus-4-1-experimental', 'claude-opus-4-7', 'local-llama-3']);
    expect(summary.tokens.byModel['claude-opus-4-7']).toMatchObject({ input: 17, output: 23, cacheCreation: 300, cacheRead: 4000, priced: 'exact' });
    expect(summary.tokens.byModel['claude-opus-4-1-experimental']!.priced).toBe('fallback');
    expect(summary.tokens.unpricedModels).toEqual(['local-llama-3']);
    expect(summary.tools.find((tool) => tool.name === 'Edit')).toMatchObject({ uses: 1, maxDurationMs: 4000 });
    expect(summary.tools.find((tool) => tool.name === 'Grep')).toMatchObject({ uses: 1, avgDurationMs: 12.5 });
  });

  it('equals the documents summed after later lines of the same responses and tool uses', async () => {
    // Given the last line of r1 with more output, r4's last line from another (priced) model,
    await append(lines(a, [
      response('r1', 'claude-opus-4-7', 5, { input_tokens: 10, output_tokens: 900, cache_creation_input_tokens: 300, cache_read_input_tokens: 4000 }),
      response('r4', 'claude-opus-4-7', 6, { input_tokens: 5, output_tokens: 50 }),
      // t3's result, a tool_result whose tool_use comes later, and that tool_use,
      toolResult('t3', 9), toolResult('t9', 12), toolUse('t9', 'Glob', 10),
    ]));
    // the hook's own duration for e1, shorter than Pre → Post (the longest Edit gets shorter),
    await append(hook(b, 'PostToolUse', 5, { tool_name: 'Edit', tool_use_id: 'e1', duration_ms: 1500 }));
    // and the legacy session's transcript, which counts its Grep by id.
    await append(lines(legacy, [toolUse('g1', 'Grep', 0), toolResult('g1', 1)]));
    // Then the rollups move each document to where it now belongs, as a scan sees it.
    const summary = await expectRollupsEqualScan();
    expect(summary.tokens.byModel['local-llama-3']).toBeUndefined();
    expect(summary.tokens.unpricedModels).toEqual([]);
    expect(summary.tokens.byModel['claude-opus-4-7']).toMatchObject({ output: 900 + 3 + 50 });
    expect(summary.tools.find((tool) => tool.name === 'Edit')).toMatchObject({ uses: 1, maxDurationMs: 1500, avgDurationMs: 1500 });
    expect(summary.tools.find((tool) => tool.name === 'Glob')).toMatchObject({ uses: 1, failures: 0 });
    expect(summary.tools.find((tool) => tool.name === 'Bash')).toMatchObject({ uses: 2, failures: 1 });
    expect(summary.tools.find((tool) => tool.name === 'Grep')).toMatchObject({ uses: 1, avgDurationMs: 1000 });
  });

  it('keeps one rollup row per model and tool, whatever the responses', async () => {
    await append(lines(b, Array.from({ length: 40 }, (_, i) => response(`bulk-${i}`, i % 2 ? 'claude-sonnet-4-5' : 'claude-haiku-4-5', 20 + i, { input_tokens: i, output_tokens: 2 * i }))));
    await expectRollupsEqualScan();
    const [{ models }] = (await db.sql`select count(*)::int as models from arrakis.proj_stats__models`) as unknown as [{ models: number }];
    expect(models).toBe(5);
  });

  it('equals the documents summed after a rebuild, with the same rollup rows as kept incrementally', async () => {
    const [{ active_generation: before }] = (await db.sql`select active_generation from arrakis.projections where name = 'stats'`) as unknown as [{ active_generation: number }];
    const rollups = async (generation: number) => ({
      models: await db.sql`select * from ${db.sql(`${tableOf('stats', generation)}__models`)} where responses > 0 order by model`,
      tools: await db.sql`select * from ${db.sql(`${tableOf('stats', generation)}__tools`)} where uses > 0 order by name`,
    });
    const incremental = await rollups(before);
    const generation = await requestRebuild(db.sql, statsProjection);
    await projector.settled();
    await projector.settled();
    const [{ active_generation: after }] = (await db.sql`select active_generation from arrakis.projections where name = 'stats'`) as unknown as [{ active_generation: number }];
    expect(after).toBe(generation);
    expect(await rollups(generation)).toEqual(incremental);
    await expectRollupsEqualScan();
  });
});
