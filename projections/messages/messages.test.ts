import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../core/events.js';
import { stored, transcriptLine } from '../../test/support/stored.js';
import { messages, type Message } from './index.js';
import { foldPairs, type Keyed } from './pairing.js';
import { fold } from '../projection.js';
import { deepFreeze } from '../../test/support/freeze.js';

const S = 'session-1';
const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);
const time = (ms: number) => new Date(T0 + ms).toISOString();

const hook = (type: string, fields: Record<string, unknown>, ms: number) =>
  stored(type, { session_id: S, hook_event_name: type, ...fields }, { capturedAt: new Date(time(ms)) });
const line = (fields: Record<string, unknown>, ms: number, extra: Partial<StoredEvent> = {}) =>
  transcriptLine({ sessionId: S, uuid: randomUUID(), timestamp: time(ms), version: '2.1.114', ...fields }, extra);
const userLine = (content: unknown, ms: number, fields: Record<string, unknown> = {}) => line({ type: 'user', message: { role: 'user', content }, ...fields }, ms);
const assistantLine = (id: string, block: Record<string, unknown>, ms: number, fields: Record<string, unknown> = {}) =>
  line({ type: 'assistant', requestId: 'req_1', message: { id, model: 'claude-opus-4-7', content: [block], usage: { output_tokens: 9 } }, ...fields }, ms);

const timeline = (events: readonly StoredEvent[]): Map<string, Message> => fold(messages, events);
const only = (events: readonly StoredEvent[], kind: Message['kind']): Message[] => [...timeline(events).values()].filter((m) => m.kind === kind);

/** The timeline as listed: documents in order, hooks paired into their lines. */
function shown(events: readonly StoredEvent[]): Keyed[] {
  const docs = [...timeline(events)].map(([key, doc]) => ({ ...doc, key }));
  docs.sort((a, b) => a.at.localeCompare(b.at) || (a.sources[0] ?? 0) - (b.sources[0] ?? 0) || a.key.localeCompare(b.key));
  return foldPairs(docs, docs);
}
const lineUuid = (event: StoredEvent) => ((event.payload as { line: { uuid: string } }).line.uuid);

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('messages: prompts', () => {
  it('pairs a prompt and its transcript line into one entry, by prompt id from Claude Code 2.1.196 on', () => {
    const id = randomUUID();
    const submitted = hook('UserPromptSubmit', { prompt: 'Explain the failing test', prompt_id: id }, 140);
    const written = userLine('Explain the failing test', 40, { promptId: id, version: '2.1.200' });
    const entries = shown([submitted, written]);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toEqual({
      key: `prompt:${S}:${lineUuid(written)}`, kind: 'prompt', sessionId: S, at: time(40), sources: [submitted.position, written.position],
      text: 'Explain the failing test', promptId: id, typed: true, pairedKeys: [`prompt:${S}:hook-${submitted.requestId}`],
    });
    const other = hook('UserPromptSubmit', { prompt: 'Explain the failing test', prompt_id: randomUUID() }, 90);
    expect(shown([submitted, written, other]).filter((m) => m.kind === 'prompt')).toHaveLength(2);
  });

  it('matches by text and time before that, IDE context split into blocks included', () => {
    const text = '<ide_opened_file>The user opened a.ts.</ide_opened_file>\nFix it';
    const submitted = hook('UserPromptSubmit', { prompt: text }, 100);
    const blocks = [{ type: 'text', text: '<ide_opened_file>The user opened a.ts.</ide_opened_file>' }, { type: 'text', text: 'Fix it' }];
    const written = userLine(blocks, 0, { promptId: randomUUID() });
    const entries = shown([written, submitted]);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ text, at: time(0), sources: [submitted.position, written.position] });
  });

  it('shows every repeated prompt at its own time, each with its own hook', () => {
    const events = [0, 60_000, 600_000].flatMap((ms) => [userLine('continue', ms), hook('UserPromptSubmit', { prompt: 'continue' }, ms + 100)]);
    const entries = shown(events);
    expect(entries.map((m) => [m.at, m.sources.length])).toEqual([[time(0), 2], [time(60_000), 2], [time(600_000), 2]]);
    // Newer sessions may repeat one prompt id: time still tells the prompts apart.
    const id = randomUUID();
    const repeated = [0, 5_000].flatMap((ms) => [
      userLine('git push', ms, { promptId: id, version: '2.1.200' }),
      hook('UserPromptSubmit', { prompt: 'git push', prompt_id: id }, ms + 100),
    ]);
    expect(shown(repeated).map((m) => [m.at, m.sources])).toEqual([
      [time(0), [repeated[0]!.position, repeated[1]!.position]],
      [time(5_000), [repeated[2]!.position, repeated[3]!.position]],
    ]);
  });

  it('shows a hook alone until its line arrives, whatever the order', () => {
    const submitted = hook('UserPromptSubmit', { prompt: 'continue' }, 100);
    expect(shown([submitted]).map((m) => m.key)).toEqual([`prompt:${S}:hook-${submitted.requestId}`]);
    const written = userLine('continue', 0);
    for (const order of permutations([submitted, written])) expect(shown(order).map((m) => m.sources)).toEqual([[submitted.position, written.position]]);
  });

  it('keeps local commands apart, skips meta lines and gives a subagent its own task message', () => {
    const subagentTask = stored('transcript.user', {
      path: `/p/${S}/subagents/agent-a1.jsonl`,
      file: `${S}/subagents/agent-a1.jsonl`,
      offset: 0,
      line: { type: 'user', uuid: 'u-task', sessionId: S, timestamp: time(5), isSidechain: true, message: { content: 'Explain the failing test' } },
    });
    const docs = timeline([
      userLine('Caveat: The messages below were generated by the user.', 1, { isMeta: true }),
      userLine('<command-name>/model</command-name>', 2),
      userLine('<local-command-stdout>Set model to opus</local-command-stdout>', 3),
      userLine('Explain the failing test', 4),
      subagentTask,
    ]);
    expect([...docs.values()].map((m) => [m.kind, m.agentId])).toEqual([['command', undefined], ['command', undefined], ['prompt', undefined], ['prompt', 'a1']]);
    expect(docs.get(`prompt:${S}:u-task`)).toMatchObject({ agentId: 'a1', text: 'Explain the failing test' });
  });

  it('keeps repeated injected lines such as interrupt markers apart', () => {
    const interrupted = [{ type: 'text', text: '[Request interrupted by user]' }];
    expect(only([userLine(interrupted, 1), userLine(interrupted, 2)], 'prompt')).toHaveLength(2);
  });
});

describe('messages: assistant lines', () => {
  it('makes one message per line with text or thinking, with the response id, model and usage', () => {
    const lines = [
      assistantLine('msg_1', { type: 'thinking', thinking: '', signature: 'redacted' }, 0),
      assistantLine('msg_1', { type: 'thinking', thinking: 'Let me look.' }, 1),
      assistantLine('msg_1', { type: 'text', text: 'Looking.' }, 2, { message: { id: 'msg_1', model: 'claude-opus-4-7', content: [{ type: 'text', text: 'Looking.' }], stop_reason: 'end_turn' } }),
      assistantLine('msg_1', { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/a' } }, 3),
    ];
    const docs = [...timeline(lines).values()];
    expect(docs.map((m) => m.kind)).toEqual(['assistant', 'assistant', 'tool']);
    expect(docs[0]).toMatchObject({ thinking: 'Let me look.', messageId: 'msg_1', model: 'claude-opus-4-7', usage: { output_tokens: 9 } });
    expect(docs[1]).toMatchObject({ text: 'Looking.', stopReason: 'end_turn', sources: [lines[2]!.position] });
    expect(docs[2]).toMatchObject({ toolUseId: 'toolu_1', toolName: 'Read', input: { file_path: '/a' }, status: 'running' });
  });
});

describe('messages: tool uses', () => {
  const toolEvents = () => [
    hook('PreToolUse', { tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'toolu_1' }, 1_000),
    hook('PostToolUse', { tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'toolu_1', tool_response: { stdout: 'a\nb', stderr: '' } }, 2_500),
    assistantLine('msg_1', { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } }, 900),
    userLine([{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'a\nb' }], 2_600, { toolUseResult: { stdout: 'a\nb' } }),
  ];

  it('pairs PreToolUse, PostToolUse and the transcript blocks into one message with a duration and the result', () => {
    const events = toolEvents();
    expect([...timeline(events).entries()]).toEqual([
      [
        `tool:${S}:toolu_1`,
        {
          kind: 'tool', sessionId: S, at: time(900), sources: events.map((e) => e.position).sort((a, b) => a - b),
          toolUseId: 'toolu_1', toolName: 'Bash', input: { command: 'ls' }, status: 'ok',
          result: { stdout: 'a\nb', stderr: '' }, resultFrom: 'hook',
          startedAt: time(900), endedAt: time(2_500), durationMs: 1_500,
          timing: { pre: time(1_000), post: time(2_500), use: time(900), result: time(2_600) },
        },
      ],
    ]);
  });

  it('gives the same message whatever order the events arrive in', () => {
    const events = toolEvents();
    const expected = timeline(events);
    for (const order of permutations(events)) expect(timeline(order)).toEqual(expected);
  });

  it('prefers the duration Claude Code reported, and times the transcript blocks without hooks', () => {
    const [pre, post] = toolEvents();
    const reported = hook('PostToolUse', { ...(post!.payload as object), duration_ms: 1_234 }, 2_500);
    expect(timeline([pre!, reported]).get(`tool:${S}:toolu_1`)?.durationMs).toBe(1_234);
    const [, , use, result] = toolEvents();
    expect(timeline([result!, use!]).get(`tool:${S}:toolu_1`)).toMatchObject({ durationMs: 1_700, result: { stdout: 'a\nb' }, resultFrom: 'transcript' });
  });

  it('marks a failure failed with its error, whichever source reports it first', () => {
    const events = [
      hook('PreToolUse', { tool_name: 'Bash', tool_use_id: 'toolu_2' }, 0),
      userLine([{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'Exit code 1\nls: nope', is_error: true }], 50),
      hook('PostToolUseFailure', { tool_name: 'Bash', tool_use_id: 'toolu_2', error: 'Exit code 1\nls: nope (hook)', duration_ms: 40 }, 60),
    ];
    for (const order of permutations(events)) {
      expect(timeline(order).get(`tool:${S}:toolu_2`)).toMatchObject({ status: 'failed', error: 'Exit code 1\nls: nope (hook)', durationMs: 40 });
    }
  });

  it('links an Agent call to the subagent it started', () => {
    const result = userLine([{ type: 'tool_result', tool_use_id: 'toolu_3', content: [{ type: 'text', text: 'Done.' }] }], 5, {
      toolUseResult: { status: 'completed', agentId: 'a36e', content: [] },
    });
    expect(timeline([result]).get(`tool:${S}:toolu_3`)).toMatchObject({ childAgentId: 'a36e', status: 'ok' });
  });

  it('keeps large outputs, cut to 64 KiB and flagged', () => {
    const big = 'x'.repeat(100_000);
    const doc = timeline([hook('PostToolUse', { tool_use_id: 'toolu_4', tool_response: { stdout: big, stderr: '' } }, 0)]).get(`tool:${S}:toolu_4`)!;
    expect(doc.truncated).toBe(true);
    expect((doc.result as { stdout: string }).stdout).toHaveLength(64 * 1024);
  });

  it('leaves tool hooks without a tool_use_id (before 2.0.43) to the transcript', () => {
    expect(timeline([hook('PreToolUse', { tool_name: 'LS', tool_input: { path: '/' } }, 0)]).size).toBe(0);
  });
});

describe('messages: notifications, compactions, subagents, session markers', () => {
  it('records each as its own message', () => {
    const events = [
      hook('SessionStart', { source: 'startup', model: 'claude-opus-4-7' }, 0),
      hook('Notification', { message: 'Claude needs your permission to use Bash', title: 'Permission needed', notification_type: 'permission_prompt' }, 1),
      hook('PreCompact', { trigger: 'auto', custom_instructions: null }, 2),
      line({ type: 'system', subtype: 'compact_boundary', compactMetadata: { trigger: 'auto', preTokens: 155000 } }, 3),
      hook('PostCompact', { trigger: 'auto', compact_summary: 'We fixed the parser.' }, 4),
      hook('SubagentStart', { agent_id: 'a1', agent_type: 'Explore' }, 5),
      hook('SubagentStop', { agent_id: 'a1', agent_type: 'Explore', last_assistant_message: 'Found 3 issues', agent_transcript_path: `/p/${S}/subagents/agent-a1.jsonl` }, 9),
      hook('SessionEnd', { reason: 'clear' }, 10),
    ];
    const docs = [...timeline(events).values()];
    expect(docs.map((m) => [m.kind, m.stage ?? m.event ?? m.status ?? m.notificationType])).toEqual([
      ['session', 'start'], ['notification', 'permission_prompt'], ['compaction', 'pre'], ['compaction', 'boundary'],
      ['compaction', 'post'], ['subagent', 'ok'], ['session', 'end'],
    ]);
    expect(docs[5]).toMatchObject({
      agentId: 'a1', agentType: 'Explore', parentSessionId: S, startedAt: time(5), endedAt: time(9), text: 'Found 3 issues', at: time(5),
    });
    expect(docs[3]).toMatchObject({ trigger: 'auto', preTokens: 155000 });
    expect(docs.every((m) => m.sessionId === S && m.sources.length > 0)).toBe(true);
  });

  it('folds the hooks and the summary line of a compaction into its one marker', () => {
    const boundary = line({ type: 'system', subtype: 'compact_boundary', uuid: 'b1', compactMetadata: { trigger: 'manual', preTokens: 90000 } }, 60_000);
    const events = [
      userLine('continue', 0),
      hook('PreCompact', { trigger: 'manual', custom_instructions: 'keep the plan' }, 1_000),
      boundary,
      userLine('This session is being continued: we fixed the parser.', 60_010, { parentUuid: 'b1', isCompactSummary: true }),
      hook('PostCompact', { trigger: 'manual', compact_summary: 'We fixed the parser.' }, 60_500),
    ];
    const markers = shown(events).filter((m) => m.kind === 'compaction');
    expect(markers).toHaveLength(1);
    expect(markers[0]).toMatchObject({
      key: `compaction:${S}:b1`, stage: 'boundary', trigger: 'manual', preTokens: 90000, instructions: 'keep the plan',
      text: 'This session is being continued: we fixed the parser.', at: time(60_000),
    });
    expect(markers[0]!.sources).toHaveLength(4);
    // Hooks alone (no transcript): one marker too.
    expect(shown([events[1]!, events[4]!]).map((m) => [m.kind, m.stage, m.text])).toEqual([['compaction', 'pre', 'We fixed the parser.']]);
  });

  it('finds a 1.0.x compaction, which has no boundary line, from its summary line', () => {
    const summary = userLine('This session is being continued from a previous conversation.', 5, { isCompactSummary: true, parentUuid: null, version: '1.0.80' });
    expect(shown([userLine('go on', 0), summary]).map((m) => [m.kind, m.text])).toEqual([
      ['prompt', 'go on'], ['compaction', 'This session is being continued from a previous conversation.'],
    ]);
  });

  it('names the workflow of a workflow agent, from its folder', () => {
    const event = stored('transcript.assistant', {
      path: `/p/${S}/subagents/workflows/wf_7/agent-w1.jsonl`,
      file: 'agent-w1.jsonl',
      offset: 0,
      line: { type: 'assistant', uuid: 'uw', sessionId: S, timestamp: time(1), message: { id: 'mw', content: [{ type: 'text', text: 'step done' }] } },
    });
    expect(timeline([event]).get(`assistant:${S}:uw`)).toMatchObject({ agentId: 'w1', workflow: 'wf_7', text: 'step done' });
  });

  it('marks lines of a subagent transcript with its id, from the file name when the line has none', () => {
    const event = stored('transcript.assistant', {
      path: `/p/${S}/subagents/agent-a9.jsonl`,
      file: `${S}/subagents/agent-a9.jsonl`,
      offset: 0,
      line: { type: 'assistant', uuid: 'u9', sessionId: S, timestamp: time(1), message: { id: 'm9', content: [{ type: 'text', text: 'hi' }] } },
    });
    expect(timeline([event]).get(`assistant:${S}:u9`)).toMatchObject({ agentId: 'a9', text: 'hi' });
  });
});

describe('messages: evolve is pure, idempotent and total', () => {
  it('does not mutate the document it is given, and a repeated event changes nothing', () => {
    const [pre, post, use, result] = [
      hook('PreToolUse', { tool_use_id: 'toolu_1', tool_input: { a: 1 } }, 0),
      hook('PostToolUse', { tool_use_id: 'toolu_1', tool_response: { ok: true } }, 5),
      assistantLine('m', { type: 'tool_use', id: 'toolu_1', name: 'X' }, 1),
      userLine([{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }], 6),
    ];
    const key = `tool:${S}:toolu_1`;
    let doc = deepFreeze(messages.evolve(undefined, pre!, key));
    for (const event of [post!, use!, result!]) doc = deepFreeze(messages.evolve(doc, event, key));
    expect(messages.evolve(doc, post!, key)).toBe(doc);
    expect(messages.index!(doc, key)).toEqual({ sessionId: S, at: time(0), seq: pre!.position });
  });

  it('never throws on unknown events, unparseable payloads or odd shapes', () => {
    const odd = [
      ...['UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Notification', 'SubagentStart', 'PreCompact', 'SomethingNew'].map((type) =>
        stored(type, { raw: '{"session_id": "session-1", trunc', captureError: 'Unexpected end of JSON input' }),
      ),
      ...[null, 42, 'text', [1, 2]].map((payload) => stored('Notification', payload)),
      stored('transcript.unparsed', { path: '/p/s.jsonl', file: 's.jsonl', offset: 0, raw: '42', error: 'not a JSON object' }),
      transcriptLine({ type: 'user', message: 'error' }),
      transcriptLine({ type: 'user', message: { content: [null, 7, { type: 'tool_result', is_error: true, content: [{ type: 'image' }] }] } }),
      transcriptLine({ type: 'assistant', message: { content: 'plain text', id: 7 } }),
      transcriptLine({ type: 'system', subtype: 'compact_boundary', compactMetadata: 'x' }),
    ];
    const docs = fold(messages, odd);
    for (const doc of docs.values()) {
      expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
      expect(Number.isNaN(Date.parse(doc.at))).toBe(false);
    }
    const kinds = [...docs.values()].map((m) => m.kind).sort();
    expect(kinds).toEqual(['assistant', 'compaction', 'compaction', ...Array<string>(5).fill('notification')]);
  });
});
