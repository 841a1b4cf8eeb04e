import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../core/events.js';
import { HOOK_LOG_TYPE, hookLogLineEvent } from '../core/hook-log-line.js';
import { deepFreeze } from '../test/support/freeze.js';
import { stored } from '../test/support/stored.js';
import { hookLogsProjection, type HookLogDoc } from './hook-logs.js';
import { fold } from './projection.js';

const project = (events: readonly StoredEvent[]) =>
  fold<HookLogDoc>(
    { ...hookLogsProjection, evolve: (doc, event, key) => hookLogsProjection.evolve(doc && deepFreeze(doc), deepFreeze(event), key) },
    events,
  );

const receivedAt = new Date('2026-11-25T10:05:00.000Z');
const file = '/home/dev/.claude/arrakis/logs/capture-2026-11-25.log';

/** A log line as the ingest route turns it into an event, then as the store hands it back. */
function logLine(line: string | Record<string, unknown>, offset = 0, host = 'devbox'): StoredEvent {
  const text = typeof line === 'string' ? line : JSON.stringify(line);
  const event = hookLogLineEvent({ host, hookVersion: '1.0.0', file }, { offset, line: text }, receivedAt);
  return stored(event.type, event.payload, { requestId: event.requestId, sessionId: event.sessionId, capturedAt: new Date(event.capturedAt), receivedAt, client: null });
}

describe('hook logs', () => {
  it('keeps one document per line, keyed by its identity, with a readable message and a level', () => {
    const spooled = logLine({ time: '2026-11-25T10:00:01.000Z', requestId: 'r1', event: 'PostToolUse', sessionId: 's1', mode: 'background', outcome: 'spooled', status: 0, attempts: 3, error: 'connect ECONNREFUSED 127.0.0.1:8787' }, 0);
    const delivered = logLine({ time: '2026-11-25T10:04:00.000Z', requestId: 'r1', event: 'PostToolUse', sessionId: 's1', outcome: 'delivered', status: 201, attempts: 1 }, 180);
    const docs = project([spooled, delivered]);
    expect(docs.size).toBe(2);
    expect(docs.get(spooled.requestId)).toMatchObject({
      host: 'devbox',
      hookVersion: '1.0.0',
      file,
      offset: 0,
      time: '2026-11-25T10:00:01.000Z',
      level: 'warn',
      event: 'PostToolUse',
      sessionId: 's1',
      requestId: 'r1',
      outcome: 'spooled',
      message: 'PostToolUse spooled after 3 attempts: connect ECONNREFUSED 127.0.0.1:8787',
      line: expect.objectContaining({ mode: 'background' }),
      raw: null,
    });
    expect(docs.get(delivered.requestId)).toMatchObject({ level: 'info', message: 'PostToolUse delivered (HTTP 201) after 1 attempt' });
    expect(hookLogsProjection.index!(docs.get(delivered.requestId)!, delivered.requestId)).toEqual({ sessionId: 'devbox', at: '2026-11-25T10:04:00.000Z', seq: 180 });
  });

  it('files a line under its session, or under hook:<host> when it names none', () => {
    expect(logLine({ sessionId: 's1', outcome: 'queued' }).sessionId).toBe('s1');
    expect(logLine({ outcome: 'queued' }, 0, 'laptop').sessionId).toBe('hook:laptop');
  });

  it('ranks dead letters and unspooled events as errors, problems as warnings, and keeps a level the line states', () => {
    const levels = [
      { outcome: 'dead-letter', status: 413 },
      { outcome: 'delivered', spoolError: 'ENOSPC' },
      { outcome: 'queued', configProblems: ['CLAUDE_HOOK_TIMEOUT=x is not a whole number'] },
      { outcome: 'queued', transcriptNotes: ['skipped a line'] },
      { outcome: 'queued', spoolDepth: 4, flusher: 'started' },
      { level: 'warn', message: 'log lines refused by the server' },
      { level: 'loud', outcome: 'duplicate' },
    ].map((line, i) => {
      const event = logLine(line, i * 100);
      return project([event]).get(event.requestId)!;
    });
    expect(levels.map((d) => d.level)).toEqual(['error', 'error', 'warn', 'warn', 'info', 'warn', 'info']);
    expect(levels[4]!.message).toBe('hook queued; 4 in the spool');
    expect(levels[5]!.message).toBe('log lines refused by the server');
  });

  it('keeps a line that is not a JSON object as raw text, at the time it was received', () => {
    const event = logLine('{"time": "2026-11-25T10:00:00Z", truncated', 40);
    const doc = project([event]).get(event.requestId)!;
    expect(doc).toMatchObject({ line: null, raw: '{"time": "2026-11-25T10:00:00Z", truncated', level: 'warn', time: receivedAt.toISOString(), offset: 40 });
    expect(doc.message).toMatch(/^unreadable log line: /);
  });

  it('gives the same document when an event is applied again', () => {
    const event = logLine({ outcome: 'delivered', status: 200 }, 7);
    const once = project([event]);
    expect(project([event, event])).toEqual(once);
  });

  it('reads odd payloads (a hook.log forged through the ingest envelope) without throwing', () => {
    const odd = [
      stored(HOOK_LOG_TYPE, null),
      stored(HOOK_LOG_TYPE, { host: 42, offset: 1.5, line: 'not an object' }),
      stored(HOOK_LOG_TYPE, { host: 'x', offset: -3, line: { event: { nested: true }, attempts: 'many', status: -1, message: '' } }),
    ];
    const docs = project(odd);
    expect([...docs.values()].map((d) => [d.host, d.offset, d.level])).toEqual([
      ['unknown', 0, 'warn'],
      ['unknown', 0, 'info'],
      ['x', 0, 'info'],
    ]);
    expect(docs.get(odd[2]!.requestId)!.message).toBe('hook logged');
  });

  it('handles hook.log events only', () => {
    expect(project([stored('PostToolUse', { session_id: 's1' }), stored('transcript.user', {})]).size).toBe(0);
  });
});
