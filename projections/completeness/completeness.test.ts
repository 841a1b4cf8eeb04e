import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../core/events.js';
import { stored, transcriptLine } from '../../test/support/stored.js';
import { fold } from '../projection.js';
import { classifySession } from './classify.js';
import { completeness, type CompletenessDoc } from './index.js';

/**
 * Given a session captured by hooks and transcript lines, when chosen lines or hook events
 * are dropped, then the report names exactly those, each classified.
 */
const S = 'sess-complete';
const path = `/home/dev/.claude/projects/-app/${S}.jsonl`;
let offset = 0;
const t = (s: number) => new Date(Date.UTC(2026, 10, 30, 9, 0, s));

function line(fields: Record<string, unknown>, s: number): StoredEvent {
  const body = { sessionId: S, timestamp: t(s).toISOString(), ...fields };
  const event = transcriptLine(body, { capturedAt: t(s), receivedAt: t(s), sessionId: S });
  const at = offset;
  offset += Buffer.byteLength(JSON.stringify(body)) + 1;
  return { ...event, payload: { path, file: `${S}.jsonl`, offset: at, line: body } };
}
const hook = (type: string, payload: Record<string, unknown>, s: number, overrides: Partial<StoredEvent> = {}) =>
  stored(type, { session_id: S, hook_event_name: type, ...payload }, { sessionId: S, capturedAt: t(s), receivedAt: t(s), ...overrides });

function session(): StoredEvent[] {
  offset = 0;
  return [
    hook('SessionStart', { source: 'startup' }, 0),
    hook('UserPromptSubmit', { prompt: 'run the tests' }, 1),
    line({ type: 'user', uuid: 'u1', message: { role: 'user', content: 'run the tests' } }, 1),
    line({ type: 'assistant', uuid: 'a1', message: { id: 'm1', role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'npm test' } }] } }, 2),
    hook('PreToolUse', { tool_name: 'Bash', tool_use_id: 'toolu_1' }, 2),
    hook('PostToolUse', { tool_name: 'Bash', tool_use_id: 'toolu_1' }, 3),
    line({ type: 'user', uuid: 'r1', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] } }, 3),
    line({ type: 'assistant', uuid: 'a2', message: { id: 'm2', role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_2', name: 'Read', input: { file_path: 'a.ts' } }] } }, 4),
    hook('PreToolUse', { tool_name: 'Read', tool_use_id: 'toolu_2' }, 4),
    hook('PostToolUse', { tool_name: 'Read', tool_use_id: 'toolu_2' }, 5),
    line({ type: 'user', uuid: 'r2', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'x' }] } }, 5),
    line({ type: 'assistant', uuid: 'a3', message: { id: 'm3', role: 'assistant', content: [{ type: 'text', text: 'All green.' }] } }, 6),
    hook('Stop', {}, 7),
    hook('UserPromptSubmit', { prompt: 'commit it' }, 8),
    line({ type: 'user', uuid: 'u2', message: { role: 'user', content: 'commit it' } }, 8),
    line({ type: 'assistant', uuid: 'a5', message: { id: 'm5', role: 'assistant', content: [{ type: 'text', text: 'Committed.' }] } }, 9),
    hook('Stop', {}, 10),
  ];
}

const report = (events: readonly StoredEvent[]) => classifySession(S, [...fold<CompletenessDoc>(completeness, events).values()]);

describe('completeness', () => {
  it('finds nothing missing in a whole session, at rate 1', () => {
    expect(report(session())).toMatchObject({ unexplained: 0, explained: 0, rate: 1, gaps: [] });
  });

  it('names a dropped PostToolUse, a dropped prompt line and a dropped transcript line as unexplained', () => {
    const events = session();
    const dropped = [events[5]!, events[14]!, events[7]!];
    const { gaps, unexplained, rate } = report(events.filter((e) => !dropped.includes(e)));
    expect(gaps.map((g) => [g.kind, g.missing, g.expected])).toEqual(expect.arrayContaining([
      ['tool', 'PostToolUse of Bash toolu_1', false],
      ['prompt', 'transcript line of prompt "commit it"', false],
      ['tool', 'transcript tool_use of Read toolu_2', false],
    ]));
    // The two dropped lines also leave holes in the file's byte ranges.
    expect(gaps.filter((g) => g.kind === 'range').map((g) => g.range!.from)).toEqual([events[7]!, events[14]!].map((e) => (e.payload as { offset: number }).offset));
    expect(unexplained).toBe(5);
    expect(rate).toBeLessThan(1);
  });

  it('explains tool uses no hook saw when the session had no PreToolUse hook registered', () => {
    const events = session().filter((e) => e.type !== 'PreToolUse');
    const { gaps, unexplained } = report(events);
    expect(unexplained).toBe(0);
    expect(gaps.map((g) => g.reason)).toEqual(['no PreToolUse hook in this session: that event type is not registered', 'no PreToolUse hook in this session: that event type is not registered']);
  });

  it('explains an imported session (no hooks at all) and lines written before capture began', () => {
    const lines = session().filter((e) => e.type.startsWith('transcript.'));
    const { gaps, unexplained } = report(lines.slice(3));
    expect(gaps.filter((g) => !g.expected)).toEqual([]);
    expect(unexplained).toBe(0);
    expect(gaps.find((g) => g.kind === 'range')).toMatchObject({ expected: true, range: { from: 0 } });
    expect(gaps.filter((g) => g.kind === 'tool').every((g) => g.reason.startsWith('no hook event for this session'))).toBe(true);
  });

  it('closes a hole when the missing line arrives late, and counts retried and late hook events', () => {
    const events = session();
    const late = events[7]!;
    const order = [...events.filter((e) => e !== late), { ...late, position: late.position }];
    expect(report(order).gaps).toEqual([]);
    const retried = [...events, hook('Notification', { message: 'waiting' }, 8, { client: { host: 'devbox', attempt: 2 }, receivedAt: t(300) })];
    expect(report(retried).hooks).toMatchObject({ retried: 1, maxAttempt: 2, late: 1 });
  });

  it('explains a PostToolUse missing after the session\'s last hook event (interrupted) and a denied tool', () => {
    const events = session();
    const interrupted = [...events, line({ type: 'assistant', uuid: 'a4', message: { id: 'm4', role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_3', name: 'Bash', input: {} }] } }, 20)];
    const g = report(interrupted).gaps.filter((x) => x.missing.includes('toolu_3'));
    expect(g.map((x) => [x.missing, x.expected])).toEqual([['PreToolUse of Bash toolu_3', true], ['PostToolUse of Bash toolu_3', true]]);
    expect(g[0]!.reason).toContain('interrupted');
  });
});

describe('completeness of what Stop and SubagentStop closed', () => {
  const agentLine = (agentId: string, s: number): StoredEvent => {
    const body = { sessionId: S, agentId, isSidechain: true, timestamp: t(s).toISOString(), type: 'assistant', message: { id: `ma${s}`, role: 'assistant', content: [{ type: 'text', text: 'found it' }] } };
    return { ...transcriptLine(body, { capturedAt: t(s), receivedAt: t(s), sessionId: S }), payload: { path, file: `${S}/subagents/agent-${agentId}.jsonl`, offset: 0, line: body } };
  };
  const withReplies = () => {
    const events = session();
    const last = events.length - 1;
    return events.map((e, i) => (e.type === 'Stop' ? hook('Stop', { last_assistant_message: i === last ? 'Committed.' : 'All green.' }, i === last ? 10 : 7) : e));
  };

  it('finds each Stop\'s reply in the transcript, even when the hook joined the reply\'s text blocks', () => {
    expect(report(withReplies()).gaps).toEqual([]);
    const joined = withReplies().map((e) => (e.type === 'Stop' && (e.payload as { last_assistant_message: string }).last_assistant_message === 'All green.'
      ? hook('Stop', { last_assistant_message: 'Ran them.\n\nAll green.' }, 7) : e));
    expect(report(joined).gaps).toEqual([]);
  });

  it('names a dropped reply line that a Stop closed its turn with as unexplained, and explains one at the last hook event', () => {
    const events = withReplies();
    const gaps = report(events.filter((e) => e !== events[11])).gaps.filter((g) => g.kind === 'turn');
    expect(gaps.map((g) => [g.missing, g.expected])).toEqual([['transcript reply "All green." that a Stop closed its turn with', false]]);
    const lastReply = events[15]!;
    const tail = report(events.filter((e) => e !== lastReply)).gaps.filter((g) => g.kind === 'turn');
    expect(tail.map((g) => [g.expected, g.reason])).toEqual([[true, 'after the last hook event: its lines ship with the next one']]);
  });

  it('finds a SubagentStop\'s run in the subagent\'s transcript, and names a run that never arrived', () => {
    const events = [...session(), hook('SubagentStop', { agent_id: 'a1b2' }, 6), hook('SubagentStop', { agent_id: 'c3d4' }, 6)];
    const gaps = report([...events, agentLine('a1b2', 5)]).gaps.filter((g) => g.kind === 'agent');
    expect(gaps.map((g) => [g.missing, g.expected])).toEqual([['transcript of subagent c3d4 that a SubagentStop closed', false]]);
  });

  it('keeps the longest capture-to-store delay of the hook stream, a spool\'s age when it drained', () => {
    const events = [...session(), hook('Notification', { message: 'waiting' }, 8, { receivedAt: t(8 + 3600) })];
    expect(report(events).hooks.maxDelayMs).toBe(3_600_000);
  });
});
