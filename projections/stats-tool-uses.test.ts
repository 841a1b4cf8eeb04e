import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../core/events.js';
import { deepFreeze } from '../test/support/freeze.js';
import { stored, transcriptLine } from '../test/support/stored.js';
import { fold } from './projection.js';
import { statsProjection, type StatsDoc, type ToolUseDoc } from './stats.js';

const project = (events: readonly StoredEvent[]) =>
  fold<StatsDoc>({ ...statsProjection, evolve: (doc, event, key) => statsProjection.evolve(doc && deepFreeze(doc), deepFreeze(event), key) }, events);
const toolUses = (docs: Map<string, StatsDoc>) =>
  Object.fromEntries([...docs.values()].filter((doc): doc is ToolUseDoc => doc.kind === 'tooluse').map((doc) => [doc.toolUseId, doc]));
/** What the query reads of a use. */
const counted = ({ name, failed, durationMs }: ToolUseDoc) => ({ name, failed, durationMs });

const time = (iso: string) => ({ capturedAt: new Date(iso), receivedAt: new Date(iso) });
const hook = (type: string, id: string, iso: string, fields: Record<string, unknown> = {}) =>
  stored(type, { session_id: 's1', hook_event_name: type, tool_name: 'Bash', tool_input: {}, tool_use_id: id, ...fields }, time(iso));
const line = (type: 'assistant' | 'user', iso: string, content: unknown[], sessionId = 's1') =>
  transcriptLine({ type, sessionId, timestamp: iso, message: { role: type, content } }, { capturedAt: new Date('2026-12-01T00:00:00Z') });
const toolUse = (id: string, name: string, iso: string, sessionId?: string) => line('assistant', iso, [{ type: 'tool_use', id, name, input: {} }], sessionId);
const toolResult = (id: string, iso: string, isError?: boolean) =>
  line('user', iso, [{ type: 'tool_result', tool_use_id: id, content: 'out', ...(isError === undefined ? {} : { is_error: isError }) }]);

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('stats: one document per tool use', () => {
  it('given an imported history of transcript lines only, counts each tool_use with its tool_result outcome and line-to-line duration', () => {
    const uses = toolUses(
      project([
        toolUse('t1', 'Read', '2026-07-01T10:00:00.000Z'),
        toolResult('t1', '2026-07-01T10:00:00.250Z'),
        toolUse('t2', 'Bash', '2026-07-01T10:00:01.000Z'),
        toolResult('t2', '2026-07-01T10:00:03.000Z', true),
        toolUse('t3', 'Bash', '2026-07-01T10:00:05.000Z'), // interrupted: no result
      ]),
    );
    expect(Object.values(uses).map(counted)).toEqual([
      { name: 'Read', failed: false, durationMs: 250 },
      { name: 'Bash', failed: true, durationMs: 2_000 },
      { name: 'Bash', failed: undefined, durationMs: undefined },
    ]);
    expect(uses.t1).toMatchObject({ sessionId: 's1', useAt: '2026-07-01T10:00:00.000Z', resultAt: '2026-07-01T10:00:00.250Z' });
    expect(statsProjection.index!(uses.t1!, 'tooluse:t1')).toEqual({ sessionId: 's1', at: '2026-07-01T10:00:00.000Z', seq: uses.t1!.firstPosition });
  });

  it('given one line with several tool uses and one with several results, keeps each use apart', () => {
    const uses = toolUses(
      project([
        line('assistant', '2026-07-01T10:00:00.000Z', [{ type: 'text', text: 'Both.' }, { type: 'tool_use', id: 'a', name: 'Read' }, { type: 'tool_use', id: 'b', name: 'Grep' }]),
        line('user', '2026-07-01T10:00:01.000Z', [{ type: 'tool_result', tool_use_id: 'a' }, { type: 'tool_result', tool_use_id: 'b', is_error: true }]),
      ]),
    );
    expect(Object.values(uses).map(counted)).toEqual([
      { name: 'Read', failed: false, durationMs: 1_000 },
      { name: 'Grep', failed: true, durationMs: 1_000 },
    ]);
  });

  it('given the same use from its hooks and its transcript lines, in every order and repeated, makes one identical document', () => {
    const events = [
      hook('PreToolUse', 'h1', '2026-07-01T10:00:00.100Z', { tool_name: 'Edit' }),
      hook('PostToolUse', 'h1', '2026-07-01T10:00:01.100Z', { tool_name: 'Edit', duration_ms: 42 }),
      toolUse('h1', 'Edit', '2026-07-01T10:00:00.000Z'),
      toolResult('h1', '2026-07-01T10:00:09.000Z'),
    ];
    const docs = permutations(events).map((order) => toolUses(project([...order, order[0]!, order[2]!])));
    expect(Object.keys(docs[0]!)).toEqual(['h1']);
    for (const doc of docs) expect(doc).toEqual(docs[0]);
    // Claude Code's own duration_ms first; the session and position of the earliest event.
    expect(docs[0]!.h1).toMatchObject({ name: 'Edit', failed: false, durationMs: 42, sessionId: 's1', firstPosition: events[0]!.position });
  });

  it('times a use by the hook Pre → Post capture times without duration_ms, and by its lines without either', () => {
    const uses = toolUses(
      project([
        hook('PreToolUse', 'p1', '2026-07-01T10:00:00.000Z'),
        hook('PostToolUse', 'p1', '2026-07-01T10:00:00.300Z'),
        toolUse('p1', 'Bash', '2026-07-01T10:00:00.000Z'),
        toolResult('p1', '2026-07-01T10:00:05.000Z'),
        hook('PostToolUse', 'p2', '2026-07-01T10:00:06.000Z'), // its PreToolUse was not captured
        toolUse('p2', 'Bash', '2026-07-01T10:00:06.000Z'),
        toolResult('p2', '2026-07-01T10:00:06.700Z'),
      ]),
    );
    expect(uses.p1!.durationMs).toBe(300);
    expect(uses.p2!.durationMs).toBe(700);
  });

  it('marks a use failed when the hook or the tool_result says so, whichever arrives', () => {
    const uses = toolUses(
      project([
        hook('PostToolUse', 'f1', '2026-07-01T10:00:01.000Z'),
        toolResult('f1', '2026-07-01T10:00:01.000Z', true),
        hook('PostToolUseFailure', 'f2', '2026-07-01T10:00:02.000Z', { error: 'Exit code 1' }),
        toolResult('f2', '2026-07-01T10:00:02.000Z', false),
        hook('PermissionDenied', 'f3', '2026-07-01T10:00:03.000Z', { reason: 'denied by rule' }),
      ]),
    );
    expect([uses.f1, uses.f2, uses.f3].map((use) => use?.failed)).toEqual([true, true, true]);
  });

  it('keeps a tool_result whose tool_use has not arrived without a name, so it is not counted yet', () => {
    const [result, use] = [toolResult('late', '2026-07-01T10:00:02.000Z'), toolUse('late', 'Task', '2026-07-01T10:00:00.000Z')];
    expect(toolUses(project([result])).late).not.toHaveProperty('name');
    expect(counted(toolUses(project([result, use])).late!)).toEqual({ name: 'Task', failed: false, durationMs: 2_000 });
  });

  it('counts a use copied into a resumed session’s transcript under the session it was first seen in', () => {
    const uses = toolUses(project([toolUse('c1', 'Read', '2026-07-01T10:00:00.000Z', 'original'), toolUse('c1', 'Read', '2026-07-01T10:00:00.000Z', 'resumed')]));
    expect(Object.keys(uses)).toEqual(['c1']);
    expect(uses.c1!.sessionId).toBe('original');
  });
});
