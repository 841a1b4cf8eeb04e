import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../core/events.js';
import { deepFreeze } from '../../test/support/freeze.js';
import { stored, transcriptLine } from '../../test/support/stored.js';
import { conversations, type Conversation } from './index.js';
import { fold } from '../projection.js';

const S = 'session-waiting';
const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);
const time = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const hook = (type: string, fields: Record<string, unknown>, seconds: number) =>
  stored(type, { session_id: S, hook_event_name: type, cwd: '/home/dev/app', ...fields }, { sessionId: S, capturedAt: new Date(time(seconds)) });
const notification = (notification_type: string | undefined, seconds: number, message = 'Claude needs your attention') =>
  hook('Notification', { message, ...(notification_type ? { notification_type } : {}) }, seconds);

/** What each event leaves of the wait: [status, waitingFor, waitingSince]. */
function waits(events: StoredEvent[]): Array<[string, string | null, string | null]> {
  const docs = new Map<string, Conversation>();
  return events.map((event) => {
    const doc = fold(conversations, [event], docs).get(S)!;
    return [doc.status, doc.waitingFor, doc.waitingSince];
  });
}

describe('conversations: what a wait is for', () => {
  it('names a wait by its first prompt, keeps it through later ones, and clears it when the session goes on', () => {
    expect(waits([
      hook('UserPromptSubmit', { prompt: 'go' }, 0),
      hook('PreToolUse', { tool_name: 'Bash', tool_use_id: 't1' }, 1),
      notification('permission_prompt', 2),
      notification('idle_prompt', 62),
      hook('PostToolUse', { tool_name: 'Bash', tool_use_id: 't1' }, 70),
      hook('Stop', {}, 80),
      notification('idle_prompt', 140),
      hook('SessionEnd', { reason: 'prompt_input_exit' }, 150),
    ])).toEqual([
      ['active', null, null],
      ['active', null, null],
      ['waiting', 'permission', time(2)],
      ['waiting', 'permission', time(2)],
      ['active', null, null],
      // A turn that ended waits for a reply, but Claude Code has not asked for one yet.
      ['waiting', null, null],
      ['waiting', 'input', time(140)],
      ['ended', null, null],
    ]);
  });

  it('two waits with a run between them are two, each with its own time', () => {
    const result = waits([notification('permission_prompt', 1), hook('PostToolUse', { tool_use_id: 't' }, 5), notification('permission_prompt', 9)]);
    expect(result.map(([, kind, since]) => [kind, since])).toEqual([['permission', time(1)], [null, null], ['permission', time(9)]]);
  });

  it('reads elicitation dialogs as asking for input, and other notifications as no prompt', () => {
    expect(waits([notification('elicitation_dialog', 1)])[0]).toEqual(['waiting', 'input', time(1)]);
    expect(waits([hook('Stop', {}, 1), notification('auth_success', 2)])[1]).toEqual(['waiting', null, null]);
  });

  it('reads an untyped notification of 2025 by its message', () => {
    expect(waits([notification(undefined, 1, 'Claude needs your permission to use Bash')])[0]).toEqual(['waiting', 'permission', time(1)]);
    expect(waits([notification(undefined, 1, 'Claude is waiting for your input')])[0]).toEqual(['waiting', 'input', time(1)]);
  });

  it('is not moved by a late prompt older than the status, nor by a transcript line older than the wait', () => {
    const line = transcriptLine({ type: 'assistant', sessionId: S, uuid: 'a1', timestamp: time(1), message: { id: 'm1', content: [], stop_reason: 'tool_use' } });
    expect(waits([hook('UserPromptSubmit', { prompt: 'go' }, 10), notification('permission_prompt', 5)])[1]).toEqual(['active', null, null]);
    expect(waits([notification('permission_prompt', 2), line])[1]).toEqual(['waiting', 'permission', time(2)]);
  });

  it('leaves the previous document as it was', () => {
    const docs = fold(conversations, [hook('Stop', {}, 1)]);
    const before = deepFreeze(docs.get(S)!);
    const after = conversations.evolve(before, notification('idle_prompt', 61), S);
    expect([before.waitingFor, after.waitingFor]).toEqual([null, 'input']);
  });
});
