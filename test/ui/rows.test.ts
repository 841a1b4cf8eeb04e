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
});
