import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { transcriptLine } from '../../test/support/stored.js';
import { messages } from '../messages/index.js';
import { fold } from '../projection.js';
import { runsOf, sidechains, sidechainsKey } from './index.js';

const S = 'session-old';
const T0 = Date.UTC(2025, 6, 1, 9, 0, 0);
const time = (ms: number) => new Date(T0 + ms).toISOString();
const line = (uuid: string, parentUuid: string | null, ms: number, fields: Record<string, unknown>) =>
  transcriptLine({ sessionId: S, uuid, parentUuid, timestamp: time(ms), version: '1.0.51', ...fields });
const task = (uuid: string, id: string, prompt: string, ms: number) =>
  line(uuid, null, ms, { type: 'assistant', message: { id: `m-${uuid}`, content: [{ type: 'tool_use', id, name: 'Task', input: { prompt, description: 'look' } }] } });
const side = (uuid: string, parent: string | null, ms: number, content: unknown, type = 'user') =>
  line(uuid, parent, ms, { type, isSidechain: true, message: type === 'user' ? { role: 'user', content } : { id: `m-${uuid}`, content } });

describe('sidechains: 1.0.x subagents written into the session file', () => {
  // Two Tasks run side by side, their lines interleaved; one asks what the other does not.
  const events = [
    task('t1', 'toolu_1', 'Find the parser', 0),
    task('t2', 'toolu_2', 'Find the lexer', 10),
    side('a1', null, 100, 'Find the parser'),
    side('b1', null, 110, 'Find the lexer'),
    side('a2', 'a1', 200, [{ type: 'tool_use', id: 'toolu_a', name: 'Grep', input: { pattern: 'parse' } }], 'assistant'),
    side('b2', 'b1', 210, [{ type: 'text', text: 'lexer.ts' }], 'assistant'),
    side('a3', 'a2', 300, [{ type: 'tool_result', tool_use_id: 'toolu_a', content: 'parser.ts' }]),
    side('a4', 'a3', 400, [{ type: 'text', text: 'parser.ts' }], 'assistant'),
  ];

  it('gives every line its run and every Task call the run it started, in any order', () => {
    for (const order of [events, [...events].reverse()]) {
      const { runOfLine, runOfTask } = runsOf(fold(sidechains, order).get(sidechainsKey(S)));
      expect(Object.fromEntries(runOfLine)).toEqual({
        a1: 'sidechain-a1', a2: 'sidechain-a1', a3: 'sidechain-a1', a4: 'sidechain-a1', b1: 'sidechain-b1', b2: 'sidechain-b1',
      });
      expect(Object.fromEntries(runOfTask)).toEqual({ toolu_1: 'sidechain-a1', toolu_2: 'sidechain-b1' });
    }
  });

  it('marks the messages of sidechain lines with their line, so a reader can nest them', () => {
    const docs = [...fold(messages, events).values()];
    const inRuns = docs.filter((m) => m.lineUuid);
    expect(inRuns.map((m) => [m.kind, m.lineUuid])).toEqual([
      ['prompt', 'a1'], ['prompt', 'b1'], ['tool', 'a2'], ['assistant', 'b2'], ['assistant', 'a4'],
    ]);
    // The Task prompt is the subagent's, not one the person typed.
    expect(docs.filter((m) => m.kind === 'prompt' && m.typed)).toEqual([]);
  });

  it('ignores sessions of later versions, whose subagents carry their agent id', () => {
    const recent = transcriptLine({ sessionId: S, uuid: randomUUID(), isSidechain: true, version: '2.1.114', type: 'user', message: { content: 'x' } });
    expect(fold(sidechains, [recent]).size).toBe(0);
  });
});
