import { describe, expect, it } from 'vitest';
import type { Message } from '../../ui/src/conversation/api.js';
import { mergeMessages } from '../../ui/src/conversation/merge.js';

const message = (key: string, at: string, fields: Partial<Message> = {}): Message =>
  ({ key, kind: 'prompt', sessionId: 's', at: `2026-11-30T10:00:${at}Z`, sources: [Number(at)], ...fields }) as Message;

describe('merging fetched messages into the timeline', () => {
  it('drops a prompt hook shown alone once its transcript line arrives carrying it', () => {
    const hook = message('prompt:s:hook-r1', '02', { text: 'continue' });
    const before = mergeMessages([], [message('prompt:s:u0', '00', { text: 'continue' }), hook]);
    expect(before.map((m) => m.key)).toEqual(['prompt:s:u0', 'prompt:s:hook-r1']);
    const line = message('prompt:s:u1', '01', { text: 'continue', sources: [1, 2], pairedKeys: ['prompt:s:hook-r1'] });
    const after = mergeMessages(before, [line]);
    expect(after.map((m) => m.key)).toEqual(['prompt:s:u0', 'prompt:s:u1']);
    expect(after[0]).toBe(before[0]);
  });

  it('keeps the list as it is when nothing changed', () => {
    const list = mergeMessages([], [message('a', '00'), message('b', '01')]);
    expect(mergeMessages(list, [message('a', '00')])).toBe(list);
  });
});
