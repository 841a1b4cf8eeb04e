import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../core/events.js';
import { stored, transcriptLine } from '../../test/support/stored.js';
import { conversations, type Conversation } from './index.js';
import { fold } from '../projection.js';

/**
 * The counts must be what the timeline shows (the messages projection's entries): one per
 * typed prompt however often its text repeats, one per compaction however many sources saw it.
 */
const S = 'session-counts';
const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
const time = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

const hook = (type: string, fields: Record<string, unknown>, seconds: number) =>
  stored(type, { session_id: S, hook_event_name: type, cwd: '/home/dev/app', ...fields }, { capturedAt: new Date(time(seconds)) });
const line = (fields: Record<string, unknown>, seconds: number) =>
  transcriptLine({ sessionId: S, uuid: randomUUID(), timestamp: time(seconds), cwd: '/home/dev/app', ...fields });
const userLine = (content: unknown, seconds: number, extra: Record<string, unknown> = {}) =>
  line({ type: 'user', message: { role: 'user', content }, ...extra }, seconds);

const conversation = (events: StoredEvent[]): Conversation => fold(conversations, events).get(S)!;

describe('conversations: prompts', () => {
  it('given "continue" typed twice and a slash command, when hooks and lines both arrive, then it counts 2 prompts', () => {
    const doc = conversation([
      hook('UserPromptSubmit', { prompt: 'continue' }, 1),
      userLine('continue', 1),
      hook('UserPromptSubmit', { prompt: 'continue' }, 10),
      userLine('continue', 10),
      // UserPromptSubmit sees the slash command as typed; the transcript keeps it as a command line.
      hook('UserPromptSubmit', { prompt: '/compact keep the plan' }, 20),
      userLine('<command-name>/compact</command-name>\n<command-message>compact</command-message>\n<command-args>keep the plan</command-args>', 20),
    ]);
    expect(doc).toMatchObject({ promptCount: 2, messageCount: 2 });
    // Without the transcript, as without the hooks: each prompt once, a path typed first included.
    const hooksOnly = conversation([
      hook('UserPromptSubmit', { prompt: 'continue' }, 1),
      hook('UserPromptSubmit', { prompt: 'continue' }, 2),
      hook('UserPromptSubmit', { prompt: '/home/dev/app/src/a.ts fails to parse' }, 3),
      hook('UserPromptSubmit', { prompt: '/clear' }, 4),
    ]);
    expect(hooksOnly.promptCount).toBe(3);
  });
});

describe('conversations: compactions', () => {
  const recent = [
    hook('PreCompact', { trigger: 'manual', custom_instructions: '' }, 1),
    line({ type: 'system', subtype: 'compact_boundary', uuid: 'b1', parentUuid: null, compactMetadata: { trigger: 'manual', preTokens: 90000 } }, 2),
    userLine('This session is being continued from a previous conversation.', 2, { uuid: 'c1', parentUuid: 'b1', isCompactSummary: true }),
    hook('PostCompact', { trigger: 'manual', compact_summary: 'The plan so far' }, 3),
    hook('SessionStart', { source: 'compact' }, 3),
  ];

  it('given a 1.0.x compaction (a compact summary line, no boundary line), then it counts 1', () => {
    const doc = conversation([
      userLine('refactor the parser', 1, { uuid: 'o1', version: '1.0.51' }),
      userLine('This session is being continued from a previous conversation that ran out of context.', 50, {
        uuid: 'o2', parentUuid: null, isCompactSummary: true, version: '1.0.51',
      }),
    ]);
    expect(doc).toMatchObject({ compactions: 1, promptCount: 1 });
  });

  it('given a 2.x compaction its hooks, boundary and summary line all describe, then 1; with one only the hooks saw yet, 2', () => {
    expect(conversation(recent).compactions).toBe(1);
    const hooksOnly = [hook('PreCompact', { trigger: 'auto' }, 40), hook('PostCompact', { trigger: 'auto' }, 41)];
    expect(conversation([...recent, ...hooksOnly]).compactions).toBe(2);
    expect(conversation([...recent, ...hooksOnly].reverse()).compactions).toBe(2);
  });
});
