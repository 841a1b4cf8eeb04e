import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../core/events.js';
import { stored, transcriptLine } from '../../test/support/stored.js';
import { conversations, type Conversation } from './index.js';
import { fold } from '../projection.js';
import { deepFreeze } from '../../test/support/freeze.js';

const S = 'session-1';
const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);
const time = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

const hook = (type: string, fields: Record<string, unknown> = {}, seconds?: number) =>
  stored(type, { session_id: S, hook_event_name: type, cwd: '/home/dev/app', ...fields }, seconds === undefined ? {} : { capturedAt: new Date(time(seconds)) });
const line = (fields: Record<string, unknown>, seconds: number) =>
  transcriptLine({ sessionId: S, uuid: randomUUID(), timestamp: time(seconds), cwd: '/home/dev/app', ...fields });
const userLine = (content: unknown, seconds: number, extra: Record<string, unknown> = {}) =>
  line({ type: 'user', message: { role: 'user', content }, ...extra }, seconds);
const assistantLine = (id: string, block: Record<string, unknown>, seconds: number, extra: Record<string, unknown> = {}) =>
  line({ type: 'assistant', message: { id, role: 'assistant', model: 'claude-opus-4-7', content: [block], stop_reason: 'tool_use' }, ...extra }, seconds);

const conversation = (events: StoredEvent[]): Conversation => {
  const docs = fold(conversations, events);
  expect([...docs.keys()]).toEqual([S]);
  return docs.get(S)!;
};

/** The status after each event, applied one by one. */
function statuses(events: StoredEvent[]): string[] {
  const docs = new Map<string, Conversation>();
  return events.map((event) => fold(conversations, [event], docs).get(S)!.status);
}

describe('conversations: one document per session', () => {
  it('a duplicate SessionStart, a resume, a compact and a clear source never make a second one', () => {
    const doc = conversation(['startup', 'startup', 'resume', 'compact', 'clear'].map((source) => hook('SessionStart', { source })));
    // SessionStart(compact) follows a compaction the PreCompact hook and the transcript mark: alone it is none.
    expect(doc).toMatchObject({ sessionId: S, cwd: '/home/dev/app', project: 'app', status: 'active', compactions: 0 });
  });

  it("given an ended session, when the hook's own log lines about it arrive, then it stays ended", () => {
    const ended = conversation([hook('UserPromptSubmit', { prompt: 'Hi' }, 0), hook('SessionEnd', { reason: 'exit' }, 5)]);
    const withLog = conversation([
      hook('UserPromptSubmit', { prompt: 'Hi' }, 0),
      hook('SessionEnd', { reason: 'exit' }, 5),
      stored('hook.log', { level: 'info', msg: 'delivered', sessionId: S }, { capturedAt: new Date(time(9)) }),
    ]);
    expect(withLog).toEqual(ended);
    expect(withLog.status).toBe('ended');
  });

  it('lists the machines whose hooks reported on it, each once, first seen first', () => {
    const from = (host: string, seconds: number) => ({ ...hook('PreToolUse', { tool_name: 'Bash' }, seconds), client: { host, attempt: 1 } });
    expect(conversation([from('laptop', 1), from('desktop', 2), from('laptop', 3), from('desktop', 4)]).hosts).toEqual(['laptop', 'desktop']);
  });

  it('keeps the earliest and latest times, whatever order they arrive in', () => {
    const doc = conversation([hook('UserPromptSubmit', { prompt: 'hi' }, 50), userLine('hi', 10), hook('Stop', {}, 90), line({ type: 'system', subtype: 'turn_duration' }, 70)]);
    expect(doc).toMatchObject({ startedAt: time(10), lastActivityAt: time(90) });
    expect(conversations.index!(doc, S)).toEqual({ sessionId: S, at: time(90), seq: null });
  });

  it('takes cwd and project from where the session started, the branch from the newest line', () => {
    const doc = conversation([
      hook('PreToolUse', { cwd: '/home/dev/app/sub' }, 30),
      line({ type: 'user', message: { content: 'a' }, gitBranch: 'feature' }, 40),
      line({ type: 'user', message: { content: 'b' }, gitBranch: 'main', cwd: '/home/dev/app' }, 5),
    ]);
    expect(doc).toMatchObject({ cwd: '/home/dev/app', project: 'app', gitBranch: 'feature' });
  });

  it('takes the model from SessionStart, then from the newest main-thread assistant line, never <synthetic>', () => {
    const started = hook('SessionStart', { source: 'startup', model: 'claude-sonnet-4-5' }, 0);
    expect(conversation([started]).model).toBe('claude-sonnet-4-5');
    const synthetic = line({ type: 'assistant', message: { id: 'm2', model: '<synthetic>', content: [{ type: 'text', text: 'x' }] } }, 20);
    const subagent = assistantLine('m3', { type: 'text', text: 'x' }, 30, { agentId: 'a1', model: 'claude-haiku' });
    expect(conversation([started, assistantLine('m1', { type: 'text', text: 'x' }, 10), synthetic, subagent]).model).toBe('claude-opus-4-7');
  });
});

describe('conversations: title', () => {
  it('is the first prompt, whitespace collapsed and cut to 120 characters', () => {
    const long = `Refactor   the\nparser ${'x'.repeat(200)}`;
    const doc = conversation([hook('UserPromptSubmit', { prompt: long }, 1), hook('UserPromptSubmit', { prompt: 'second' }, 2)]);
    expect(doc.title).toHaveLength(120);
    expect(doc.title).toMatch(/^Refactor the parser x+…$/);
  });

  it('skips slash commands, command wrappers, meta lines and IDE context', () => {
    const doc = conversation([
      hook('UserPromptSubmit', { prompt: '/clear' }, 1),
      userLine('<command-name>/model</command-name><command-args></command-args>', 2),
      userLine('Caveat: The messages below were generated by the user while running local commands.', 3, { isMeta: true }),
      hook('UserPromptSubmit', { prompt: '<ide_opened_file>The user opened a.ts in the IDE.</ide_opened_file>\nFix the login bug' }, 4),
    ]);
    expect(doc.title).toBe('Fix the login bug');
  });

  it('takes the earliest prompt even when it arrives late', () => {
    expect(conversation([hook('UserPromptSubmit', { prompt: 'later' }, 20), userLine('earlier', 10)]).title).toBe('earlier');
  });

  it('prefers a custom title to an AI title to the prompt, whatever the order', () => {
    const prompt = hook('UserPromptSubmit', { prompt: 'Explain the failing test' }, 1);
    const ai = transcriptLine({ type: 'ai-title', aiTitle: 'Debug failing test', sessionId: S });
    const custom = transcriptLine({ type: 'custom-title', customTitle: 'My title', sessionId: S });
    expect(conversation([prompt, ai]).title).toBe('Debug failing test');
    expect(conversation([custom, prompt, ai]).title).toBe('My title');
  });

  it('keeps the latest leaves of the main thread, for old summary lines to be matched to (conversations/summaries.test.ts)', () => {
    const doc = conversation([
      userLine('fix the parser', 1, { uuid: 'u1', parentUuid: null }),
      assistantLine('m1', { type: 'text', text: 'On it.' }, 2, { uuid: 'a1', parentUuid: 'u1' }),
      // A hook's progress line hangs off the message without continuing the conversation.
      line({ type: 'system', content: 'Running PostToolUse:Edit...', uuid: 's1', parentUuid: 'a1' }, 3),
      userLine('no, the lexer', 4, { uuid: 'u2', parentUuid: 'a1' }),
      // Rewound: another reply to the same answer. The branch left behind still ends in a leaf.
      userLine('the lexer, please', 5, { uuid: 'u3', parentUuid: 'a1' }),
      assistantLine('m2', { type: 'text', text: 'sub' }, 6, { uuid: 'x1', parentUuid: 'u3', isSidechain: true }),
    ]);
    expect(doc.bookkeeping.leaves).toEqual(['s1', 'u2', 'u3']);
    expect(doc.titleSource).toBe('prompt');
  });
});

describe('conversations: status', () => {
  it('is active on activity, waiting for the user, ended after SessionEnd, and active again on resume', () => {
    const events = [
      hook('SessionStart', { source: 'startup' }),
      hook('UserPromptSubmit', { prompt: 'go' }),
      hook('Stop', { stop_hook_active: false }),
      hook('Notification', { message: 'Claude is waiting for your input', notification_type: 'idle_prompt' }),
      hook('UserPromptSubmit', { prompt: 'again' }),
      hook('Notification', { message: 'Claude needs your permission to use Bash', notification_type: 'permission_prompt' }),
      hook('PostToolUse', { tool_name: 'Bash', tool_use_id: 'toolu_1' }),
      hook('Stop', {}),
      hook('Notification', { message: 'signed in', notification_type: 'auth_success' }),
      hook('SessionEnd', { reason: 'prompt_input_exit' }),
    ];
    expect(statuses(events)).toEqual(['active', 'active', 'waiting', 'waiting', 'active', 'waiting', 'active', 'waiting', 'waiting', 'ended']);
    const ended = conversation(events);
    expect(ended).toMatchObject({ endedAt: events.at(-1)!.capturedAt.toISOString(), endReason: 'prompt_input_exit' });
    const resumed = conversation([...events, hook('SessionStart', { source: 'resume' })]);
    expect(resumed).toMatchObject({ status: 'active', endedAt: null, endReason: null });
  });

  it('is not changed by an event older than the one that set it', () => {
    expect(statuses([hook('Stop', {}, 20), hook('PreToolUse', { tool_use_id: 't' }, 10), line({ type: 'user', message: { content: 'hi' } }, 15)])).toEqual([
      'waiting', 'waiting', 'waiting',
    ]);
    expect(conversation([hook('SessionEnd', { reason: 'other' }, 20), hook('Stop', {}, 10)])).toMatchObject({ status: 'ended', endedAt: time(20) });
  });

  it('follows the transcript when there are no hooks (an imported session)', () => {
    const turn = [userLine('hi', 1), line({ type: 'assistant', message: { id: 'm1', content: [{ type: 'text', text: 'hello' }], stop_reason: 'end_turn' } }, 2)];
    expect(statuses(turn)).toEqual(['active', 'waiting']);
  });
});

describe('conversations: counts', () => {
  it('counts a prompt seen by its hook and its transcript line once, and a response split over 3 lines once', () => {
    const doc = conversation([
      hook('UserPromptSubmit', { prompt: 'list files' }, 1),
      userLine('list files', 1),
      assistantLine('msg_1', { type: 'thinking', thinking: '', signature: 'sig' }, 2),
      assistantLine('msg_1', { type: 'text', text: 'Listing.' }, 3),
      assistantLine('msg_1', { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } }, 4),
      hook('PreToolUse', { tool_name: 'Bash', tool_use_id: 'toolu_1' }, 5),
      hook('PostToolUse', { tool_name: 'Bash', tool_use_id: 'toolu_1', tool_response: { stdout: 'a' } }, 6),
      userLine([{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'a' }], 6),
      line({ type: 'assistant', message: { id: 'msg_2', content: [{ type: 'text', text: 'Done.' }], stop_reason: 'end_turn' } }, 7),
    ]);
    expect(doc).toMatchObject({ promptCount: 1, messageCount: 3, toolUseCount: 1, toolFailureCount: 0 });
  });

  it('counts a failed tool use once from its hook and its error result', () => {
    const doc = conversation([
      hook('PreToolUse', { tool_use_id: 'toolu_1' }, 1),
      hook('PostToolUseFailure', { tool_use_id: 'toolu_1', error: 'Exit code 1' }, 2),
      userLine([{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Exit code 1', is_error: true }], 2),
    ]);
    expect(doc).toMatchObject({ toolUseCount: 1, toolFailureCount: 1 });
  });

  it('counts distinct subagents from their hooks and transcript files', () => {
    const subagentLine = stored('transcript.assistant', {
      path: `/p/${S}/subagents/agent-a3.jsonl`,
      file: `${S}/subagents/agent-a3.jsonl`,
      offset: 0,
      line: { type: 'assistant', sessionId: S, timestamp: time(9), message: { id: 'm9', content: [{ type: 'text', text: 'hi' }] } },
    });
    const doc = conversation([
      hook('SubagentStart', { agent_id: 'a1', agent_type: 'Explore' }, 1),
      hook('SubagentStop', { agent_id: 'a1', agent_type: 'Explore' }, 5),
      hook('SubagentStop', { agent_id: 'a2', agent_type: '' }, 6),
      subagentLine,
      assistantLine('m10', { type: 'text', text: 'x' }, 10, { agentId: 'a1' }),
    ]);
    expect(doc.subagentCount).toBe(3);
    expect(doc.agents).toEqual([
      { agentId: 'a1', agentType: 'Explore', startedAt: time(1), endedAt: time(5) },
      { agentId: 'a2', agentType: null, startedAt: null, endedAt: time(6) },
      { agentId: 'a3', agentType: null, startedAt: time(9), endedAt: null },
    ]);
    expect(doc.messageCount).toBe(0);
  });

  it('counts a compaction seen by PreCompact, the compact boundary and SessionStart(compact) once', () => {
    const doc = conversation([
      hook('PreCompact', { trigger: 'auto', custom_instructions: null }, 1),
      line({ type: 'system', subtype: 'compact_boundary', compactMetadata: { trigger: 'auto', preTokens: 150000 } }, 2),
      hook('SessionStart', { source: 'compact' }, 3),
    ]);
    expect(doc.compactions).toBe(1);
  });

  it('counts from the transcript alone when no hook was captured', () => {
    const doc = conversation([
      userLine('one', 1),
      userLine('one', 5),
      assistantLine('m1', { type: 'tool_use', id: 't1', name: 'Read', input: {} }, 2),
      userLine([{ type: 'tool_result', tool_use_id: 't1', content: 'no such file', is_error: true }], 3),
    ]);
    expect(doc).toMatchObject({ promptCount: 2, messageCount: 3, toolUseCount: 1, toolFailureCount: 1 });
  });
});

describe('conversations: evolve is pure and total', () => {
  const everything = (): StoredEvent[] => [
    hook('SessionStart', { source: 'startup', model: 'm' }),
    hook('UserPromptSubmit', { prompt: 'go' }),
    hook('SubagentStart', { agent_id: 'a1' }),
    hook('PreToolUse', { tool_use_id: 't1' }),
    hook('Stop', {}),
    hook('SessionEnd', { reason: 'other' }),
    userLine('go', 1),
    assistantLine('m1', { type: 'tool_use', id: 't1' }, 2),
    transcriptLine({ type: 'summary', summary: 's', leafUuid: 'x' }),
    transcriptLine({ type: 'ai-title', aiTitle: 't' }),
  ];

  it('does not mutate the document it is given', () => {
    let doc = deepFreeze(conversation([hook('SessionStart', { source: 'startup' })]));
    for (const event of everything()) doc = deepFreeze(conversations.evolve(doc, event, S));
    expect(doc.promptCount).toBe(1);
  });

  it('never throws on unknown events, unparseable payloads or odd shapes', () => {
    const odd = [
      ...['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUseFailure', 'Notification', 'SubagentStop', 'SessionEnd', 'SomethingNew'].map((type) =>
        stored(type, { raw: '{"session_id": "session-1", trunc', captureError: 'Unexpected end of JSON input' }),
      ),
      ...[null, 42, 'text', [1, 2]].map((payload) => stored('PostToolUse', payload)),
      stored('transcript.unparsed', { path: '/p/s.jsonl', file: 's.jsonl', offset: 0, raw: '"massive error"', error: 'not a JSON object' }),
      transcriptLine({ type: 'user', message: 'error', timesstamp: 'soon' }),
      transcriptLine({ type: 'assistant', message: { content: 42, usage: 'lots', id: 7 }, timestamp: 'not a time' }),
      transcriptLine({ type: 'user', message: { content: [null, 1, { type: 'tool_result' }] }, timestamp: '+275760-09-13T00:00:00.000Z' }),
      transcriptLine({ type: 'summary', summary: 42 }),
    ];
    const docs = fold(conversations, odd);
    for (const doc of docs.values()) expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(docs.get(S)).toMatchObject({ status: 'active', promptCount: 1 });
  });

  it('indexes status, project and a full-text search over the title', () => {
    const ddl = conversations.ddl!('arrakis.proj_conversations_g1').join('\n');
    expect(ddl).toContain(`on arrakis.proj_conversations_g1 ((doc->>'status'), at desc, key)`);
    expect(ddl).toContain(`on arrakis.proj_conversations_g1 ((doc->>'project'), at desc, key)`);
    expect(ddl).toContain(`using gin (to_tsvector('simple', coalesce(doc->>'title', '')))`);
  });
});
