import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../core/events.js';
import { stored, transcriptLine } from '../test/support/stored.js';
import { fold, type DocProjection } from './projection.js';
import { statsProjection, type StatsDoc, type ToolDoc } from './stats.js';
import { deepFreeze } from '../test/support/freeze.js';

/** Every document and event handed to evolve is frozen: a mutation throws in strict mode. */
const frozen = <D extends object>(projection: DocProjection<D>): DocProjection<D> => ({
  ...projection,
  evolve: (doc, event, key) => projection.evolve(doc && deepFreeze(doc), deepFreeze(event), key),
});

const project = (events: StoredEvent[]) => fold<StatsDoc>(frozen(statsProjection), events);
const at = (iso: string) => new Date(iso);
const toolDoc = (doc: StatsDoc | undefined): ToolDoc => {
  expect(doc?.kind).toBe('tool');
  return doc as ToolDoc;
};
const tool = (type: string, id: string | undefined, fields: Record<string, unknown> = {}, overrides: Partial<StoredEvent> = {}) =>
  stored(type, { session_id: 's1', hook_event_name: type, tool_name: 'Bash', tool_input: {}, ...(id ? { tool_use_id: id } : {}), ...fields }, overrides);

describe('stats: events by day and type', () => {
  it('counts each event under its UTC capture day and type, transcript lines under transcript.*', () => {
    const docs = project([
      stored('UserPromptSubmit', {}, { capturedAt: at('2026-11-24T23:59:59.999Z'), receivedAt: at('2026-11-25T00:00:00.100Z') }),
      stored('UserPromptSubmit', {}, { capturedAt: at('2026-11-25T00:00:00Z'), receivedAt: at('2026-11-25T00:00:00Z') }),
      stored('UserPromptSubmit', {}, { capturedAt: at('2026-11-25T08:00:00Z'), receivedAt: at('2026-11-25T08:00:00Z') }),
      stored('Stop', {}, { capturedAt: at('2026-11-25T09:00:00Z'), receivedAt: at('2026-11-25T09:00:00Z') }),
      transcriptLine({ type: 'user', message: { role: 'user', content: 'hi' } }, { capturedAt: at('2026-11-25T09:00:00Z') }),
    ]);
    expect(docs.get('events:2026-11-24:UserPromptSubmit')).toMatchObject({ day: '2026-11-24', type: 'UserPromptSubmit', count: 1 });
    expect(docs.get('events:2026-11-25:UserPromptSubmit')).toMatchObject({ count: 2 });
    expect(docs.get('events:2026-11-25:Stop')).toMatchObject({ count: 1 });
    expect(docs.get('events:2026-11-25:transcript.user')).toMatchObject({ count: 1 });
    expect(statsProjection.index!(docs.get('events:2026-11-24:UserPromptSubmit')!, '')).toEqual({ at: '2026-11-24T00:00:00.000Z' });
  });

  it('keeps the sum and maximum of receivedAt − capturedAt, a clock ahead of the server counting as no delay', () => {
    const captured = at('2026-11-25T10:00:00Z');
    const receivedAfter = (ms: number) => ({ capturedAt: captured, receivedAt: new Date(captured.getTime() + ms) });
    const docs = project([
      stored('Notification', {}, receivedAfter(120)),
      stored('Notification', {}, receivedAfter(2_500)),
      stored('Notification', {}, receivedAfter(-900)),
    ]);
    expect(docs.get('events:2026-11-25:Notification')).toMatchObject({ count: 3, delay: { sumMs: 2_620, maxMs: 2_500 } });
  });
});

describe('stats: tool events without tool_use_id (before 2.0.43)', () => {
  it('counts them per session and tool by their PreToolUse, as before, and nothing per use', () => {
    const docs = project([
      tool('PreToolUse', undefined),
      tool('PostToolUse', undefined, { duration_ms: 30 }),
      tool('PreToolUse', undefined),
      tool('PostToolUseFailure', undefined),
      tool('PreToolUse', undefined, { session_id: 's2' }),
    ]);
    expect(toolDoc(docs.get('tool:s1:Bash'))).toEqual({
      kind: 'tool', sessionId: 's1', name: 'Bash', uses: 2, ok: 1, failed: 1, duration: { count: 1, sumMs: 30, maxMs: 30 },
    });
    expect(toolDoc(docs.get('tool:s2:Bash'))).toMatchObject({ uses: 1, ok: 0 });
    expect([...docs.keys()].filter((key) => key.startsWith('tooluse:'))).toEqual([]);
    expect(statsProjection.index!(docs.get('tool:s1:Bash')!, 'tool:s1:Bash')).toEqual({ sessionId: 's1' });
  });

  it('leaves events with a tool_use_id to the tool use documents', () => {
    const docs = project([tool('PreToolUse', 'a'), tool('PostToolUse', 'a')]);
    expect([...docs.keys()].filter((key) => !key.startsWith('events:'))).toEqual(['tooluse:a']);
  });
});

describe('stats: robustness', () => {
  const odd: StoredEvent[] = [
    stored('SomethingNew', { whatever: [1, 2, 3] }),
    stored('PreToolUse', null),
    stored('PostToolUse', 'a string'),
    stored('PostToolUseFailure', { tool_name: 42, tool_use_id: {}, duration_ms: 'slow' }),
    stored('PostToolUse', { tool_name: '   ', tool_use_id: 'z' }),
    stored('PostToolUse', { tool_name: 'Read', tool_use_id: 7, duration_ms: -5 }),
    stored('transcript.assistant', { path: '/p', file: 'f', offset: 0, line: { type: 'assistant', message: 'error' } }),
    stored('transcript.assistant', { path: '/p', file: 'f', offset: 0, line: [1] }),
    stored('transcript.unparsed', { path: '/p', file: 'f', offset: 0, raw: '{"broken', error: 'Unexpected end' }),
    transcriptLine({ type: 'assistant', message: { id: 'm', model: 42, usage: { input_tokens: '9', output_tokens: -1, cache_creation: 'x' } } }),
    transcriptLine({ type: 'assistant', message: { id: ['m'], usage: null } }),
  ];

  it('never throws on unknown types or odd payloads, and keeps only what it can read', () => {
    const docs = project(odd);
    expect([...docs.keys()].filter((key) => !key.startsWith('events:')).sort()).toEqual(['response:m', 'tool:session-1:Read', 'tooluse:z']);
    // The use with a blank tool_name names no tool: remembered, not counted (the query skips it).
    expect(docs.get('tooluse:z')).not.toHaveProperty('name');
    expect(docs.get('tool:session-1:Read')).toMatchObject({ uses: 0, ok: 1, duration: { count: 0 } });
    expect(docs.get('response:m')).toMatchObject({ model: 'unknown', usage: { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 }, costUsd: 0, priced: 'unknown' });
  });

  it('asks for an index serving key prefix matches on its own table, and rollups named after it', () => {
    const ddl = statsProjection.ddl!('arrakis.proj_stats_g2');
    expect(ddl[0]).toBe('create index if not exists proj_stats_g2_key_prefix on arrakis.proj_stats_g2 (key text_pattern_ops)');
    expect(ddl.join('\n')).toContain('create table if not exists arrakis.proj_stats_g2__models');
    expect(ddl.join('\n')).toContain('create table if not exists arrakis.proj_stats_g2__tools');
  });
});
