import { describe, expect, it } from 'vitest';
import type { Message } from '../../ui/src/conversation/api.js';
import { createRows } from '../../ui/src/conversation/rows.js';

const usage = { input_tokens: 3, output_tokens: 12, cache_read_input_tokens: 100, cache_creation_input_tokens: 0 };
const message = (key: string, fields: Partial<Message>): Message =>
  ({ key, kind: 'assistant', sessionId: 's', at: '2026-11-30T10:00:00Z', sources: [1], ...fields }) as Message;

describe('timeline rows', () => {
  it('leave out a blank text block, and show the response tokens on its first message with content', () => {
    const messages = [
      message('prompt', { kind: 'prompt', text: 'Look at this' }),
      message('blank', { text: '\n\n', messageId: 'msg_1', usage }),
      message('thinking', { thinking: 'Let me look.', messageId: 'msg_1', usage }),
      message('answer', { text: 'Done.', messageId: 'msg_1', usage }),
    ];
    const rows = createRows()(messages, () => false);
    expect(rows.map((r) => r.key)).toEqual(['prompt', 'thinking', 'answer']);
    expect(rows.find((r) => r.key === 'thinking')?.usage).toEqual({ input: 3, output: 12, cacheRead: 100, cacheCreation: 0 });
    expect(rows.find((r) => r.key === 'answer')?.usage).toBeUndefined();
    expect(rows.find((r) => r.key === 'prompt')?.turn?.output).toBe(12);
  });

  describe('a subagent run with no caller and no marker', () => {
    const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, '0')}:00Z`;
    const timeline = [
      message('prompt', { kind: 'prompt', text: 'Go', at: at(0) }),
      message('s1', { kind: 'prompt', agentId: 'aprompt_suggestion-7f3', text: 'Suggest', at: at(1) }),
      message('main', { text: 'Working on it.', at: at(2) }),
      message('s2', { agentId: 'aprompt_suggestion-7f3', text: 'Try this', at: at(3) }),
      message('s3', { agentId: 'aprompt_suggestion-7f3', text: 'Or this', at: at(4) }),
    ];

    it('is one closed header row where it began, naming its kind and counting its messages', () => {
      const rows = createRows()(timeline, () => false);
      expect(rows.map((r) => r.key)).toEqual(['prompt', 'detached:aprompt_suggestion-7f3', 'main']);
      const header = rows[1]!;
      expect(header.depth).toBe(0);
      expect(header.message.key).toBe('s1');
      expect(header.group).toMatchObject({ agentId: 'aprompt_suggestion-7f3', count: 3, open: false, detached: 'prompt suggestion' });
    });

    it('opened, shows all its messages under the header at depth 1', () => {
      const rows = createRows()(timeline, (id) => id === 'aprompt_suggestion-7f3');
      expect(rows.map((r) => [r.key, r.depth])).toEqual([
        ['prompt', 0],
        ['detached:aprompt_suggestion-7f3', 0],
        ['s1', 1],
        ['s2', 1],
        ['s3', 1],
        ['main', 0],
      ]);
      expect(rows[1]!.group?.open).toBe(true);
    });

    it('is named by its kind: compaction agent, workflow, or plain subagent', () => {
      const kinds = createRows()(
        [
          message('c', { agentId: 'acompact-91a', text: 'Summary' }),
          message('w', { agentId: 'a4d2', text: 'Step', workflow: 'release' } as Partial<Message>),
          message('f', { agentId: 'a0b1', text: 'Orphan' }),
        ],
        () => false,
      ).map((r) => [r.key, r.group?.detached]);
      expect(kinds).toEqual([
        ['detached:acompact-91a', 'compaction agent'],
        ['detached:a4d2', 'workflow release'],
        ['detached:a0b1', 'subagent'],
      ]);
    });

    it('keeps its header row object while nothing changed', () => {
      const build = createRows();
      const first = build(timeline, () => false);
      expect(build(timeline, () => false)[1]).toBe(first[1]);
      expect(build(timeline, () => true)[1]).not.toBe(first[1]);
    });
  });

  it('a run whose call returned still nests under its tool call, not under a header', () => {
    const messages = [
      message('call', { kind: 'tool', toolName: 'Agent', childAgentId: 'a77', status: 'ok' }),
      message('c1', { kind: 'prompt', agentId: 'a77', text: 'Find it' }),
      message('c2', { agentId: 'a77', text: 'Found.' }),
      message('after', { text: 'Thanks.' }),
    ];
    const closed = createRows()(messages, () => false);
    expect(closed.map((r) => r.key)).toEqual(['call', 'after']);
    expect(closed[0]!.group).toMatchObject({ agentId: 'a77', count: 2, open: false });
    expect(closed[0]!.group?.detached).toBeUndefined();
    const open = createRows()(messages, () => true);
    expect(open.map((r) => [r.key, r.depth])).toEqual([
      ['call', 0],
      ['c1', 1],
      ['c2', 1],
      ['after', 0],
    ]);
  });
});
