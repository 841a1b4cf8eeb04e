import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../core/events.js';
import { stored, transcriptLine } from '../test/support/stored.js';
import { costUsd } from './pricing.js';
import { fold } from './projection.js';
import { statsProjection, type ResponseDoc, type StatsDoc } from './stats.js';
import { deepFreeze } from '../test/support/freeze.js';

const project = (events: readonly StoredEvent[]) =>
  fold<StatsDoc>({ ...statsProjection, evolve: (doc, event, key) => statsProjection.evolve(doc && deepFreeze(doc), deepFreeze(event), key) }, events);
const responses = (docs: Map<string, StatsDoc>) => [...docs.values()].filter((doc): doc is ResponseDoc => doc.kind === 'response');

const assistant = (id: string, model: string, usage: Record<string, unknown>, block: unknown, sessionId = 's1') =>
  transcriptLine({ type: 'assistant', sessionId, requestId: `req_${id}`, message: { id, type: 'message', role: 'assistant', model, content: [block], usage } });

const usage = (output: number) => ({ input_tokens: 4, output_tokens: output, cache_creation_input_tokens: 1_000, cache_read_input_tokens: 20_000 });

describe('stats: assistant responses', () => {
  it('counts a response split over three lines once, with the usage of its last line', () => {
    const lines = [
      assistant('msg_1', 'claude-opus-4-7', usage(3), { type: 'thinking', thinking: '…' }),
      assistant('msg_1', 'claude-opus-4-7', usage(3), { type: 'text', text: 'Looking.' }),
      assistant('msg_1', 'claude-opus-4-7', usage(424), { type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} }),
    ];
    const docs = project(lines);
    const last = lines[2]!;
    expect(responses(docs)).toEqual([
      {
        kind: 'response',
        messageId: 'msg_1',
        model: 'claude-opus-4-7',
        day: last.capturedAt.toISOString().slice(0, 10),
        at: last.capturedAt.toISOString(),
        sessionId: 's1',
        usage: { input: 4, output: 424, cacheCreation: 1_000, cacheRead: 20_000 },
        costUsd: costUsd('claude-opus-4-7', usage(424), last.capturedAt),
        priced: 'exact',
        position: last.position,
        firstPosition: lines[0]!.position,
      },
    ]);
    expect(docs.get('events:2026-11-25:transcript.assistant')).toMatchObject({ count: 3 });
    expect(statsProjection.index!(docs.get('response:msg_1')!, 'response:msg_1')).toEqual({ sessionId: 's1', at: last.capturedAt.toISOString(), seq: lines[0]!.position });
  });

  it('keeps the latest usage when an earlier line is applied late, and the session where the response began', () => {
    const [first, second, third] = [
      assistant('msg_2', 'claude-opus-4-7', usage(1), { type: 'text', text: 'a' }, 'original'),
      assistant('msg_2', 'claude-opus-4-7', usage(2), { type: 'text', text: 'b' }, 'resumed'),
      assistant('msg_2', 'claude-opus-4-7', usage(9), { type: 'text', text: 'c' }, 'resumed'),
    ];
    const [doc] = responses(project([third!, second!, first!, third!]));
    expect(doc).toMatchObject({ usage: { output: 9 }, position: third!.position, sessionId: 'original', firstPosition: first!.position });
  });

  it('ignores <synthetic> messages for tokens but still counts their lines', () => {
    const docs = project([assistant('msg_3', '<synthetic>', { input_tokens: 0, output_tokens: 0 }, { type: 'text', text: 'No response requested.' })]);
    expect(responses(docs)).toEqual([]);
    expect(docs.get('events:2026-11-25:transcript.assistant')).toMatchObject({ count: 1 });
  });

  it('marks a response of a model the price table knows as exactly priced', () => {
    const [doc] = responses(project([assistant('msg_5', 'claude-opus-4-7', usage(7), { type: 'text', text: 'hi' })]));
    expect(doc).toMatchObject({ model: 'claude-opus-4-7', priced: 'exact' });
    expect(doc!.costUsd).toBeGreaterThan(0);
  });

  it('keeps the tokens of a model without a price, at cost 0 and flagged', () => {
    const [doc] = responses(project([assistant('msg_4', 'local-llama', usage(7), { type: 'text', text: 'hi' })]));
    expect(doc).toMatchObject({ model: 'local-llama', usage: { input: 4, output: 7 }, costUsd: 0, priced: 'unknown' });
  });
});

const fixtures = join(import.meta.dirname, '../../shared/fixtures/claude-code');

describe.skipIf(!existsSync(fixtures))('stats over the real transcripts in shared/fixtures', () => {
  const files = existsSync(fixtures) ? readdirSync(fixtures).filter((name) => name.includes('transcript') && name.endsWith('.jsonl')) : [];

  it.each(files)('%s: one response per message.id, with the last line’s usage, non-negative and priced', (name) => {
    const events = readFileSync(join(fixtures, name), 'utf8')
      .split('\n')
      .filter((text) => text.trim() !== '')
      .map((text, offset) => {
        let line: unknown;
        try {
          line = JSON.parse(text);
        } catch (error) {
          return stored('transcript.unparsed', { path: name, file: name, offset, raw: text, error: String(error) });
        }
        if (line === null || typeof line !== 'object' || Array.isArray(line)) return stored('transcript.unparsed', { path: name, file: name, offset, raw: text });
        const timestamp = (line as { timestamp?: unknown }).timestamp;
        return transcriptLine(line as Record<string, unknown>, typeof timestamp === 'string' ? { capturedAt: new Date(timestamp) } : {});
      });
    // Independently: the last usage seen per message.id, as ccusage de-duplicates.
    const expected = new Map<string, { input_tokens?: number; output_tokens?: number }>();
    for (const { payload } of events) {
      const message = (payload as { line?: { type?: string; message?: { id?: unknown; model?: unknown; usage?: object } } }).line;
      const m = message?.type === 'assistant' ? message.message : undefined;
      if (m && typeof m === 'object' && typeof m.id === 'string' && m.model !== '<synthetic>') expected.set(m.id, m.usage ?? {});
    }
    const docs = responses(project(events));
    expect(docs.map((doc) => doc.messageId).sort()).toEqual([...expected.keys()].sort());
    for (const doc of docs) {
      expect(Object.values(doc.usage).every((n) => Number.isFinite(n) && n >= 0)).toBe(true);
      expect(doc.usage.output).toBe(expected.get(doc.messageId)?.output_tokens ?? 0);
      expect(doc.priced).not.toBe('unknown');
      expect(doc.costUsd).toBeGreaterThanOrEqual(0);
    }
  });
});
