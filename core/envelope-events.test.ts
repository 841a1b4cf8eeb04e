import { describe, expect, it } from 'vitest';
import { envelope } from '../test/support/events.js';
import { contentHash } from './canonical.js';
import { envelopeEvents } from './envelope-events.js';
import { transcriptFileKey } from './transcript-line.js';

describe('envelopeEvents', () => {
  it('hashes the hook event as contentHash of its event, sessionId, capturedAt and payload, and hands the payload on as its canonical text', () => {
    const payloads: unknown[] = [
      { z: 1, a: [{ y: 'é', b: null }, 2.5, true], m: { '10': 'ten', '9': 'nine', '': 'empty' }, u: undefined },
      'just a string',
      null,
      [3, { b: 1, a: 2 }],
      { text: 'quote " backslash \\ newline \n emoji 🎉' },
    ];
    for (const payload of payloads) {
      const e = envelope({ payload, event: 'Some"Event', sessionId: 'ses\\sion' });
      const [hook] = envelopeEvents(e);
      expect(hook!.contentHash.equals(contentHash({ event: e.event, sessionId: e.sessionId, capturedAt: e.capturedAt, payload }))).toBe(true);
      expect(JSON.parse(hook!.payloadText!)).toEqual(JSON.parse(JSON.stringify(payload)));
    }
    // A payload that had to be sanitised goes as its sanitised value, not as text.
    const [nul] = envelopeEvents(envelope({ payload: { s: 'a\u0000b' } }));
    expect(nul!.payloadText).toBeUndefined();
  });

  it('skips blank transcript lines while counting them in the offsets of later lines', () => {
    const lines = ['{"type":"user"}', '', '  ', '{"type":"assistant"}'];
    const [, ...events] = envelopeEvents(envelope({ transcript: [{ path: '/p/s.jsonl', offset: 100, lines }] }));
    expect(events.map((e) => (e.payload as { offset: number }).offset)).toEqual([100, 100 + 16 + 1 + 3]);
  });

  it('gives a line the same identity wherever its file lives, and another at another offset', () => {
    const at = (path: string, offset: number) =>
      envelopeEvents(envelope({ transcript: [{ path, offset, lines: ['{"type":"user"}'] }] }))[1]!.requestId;
    expect(at('/home/a/.claude/projects/-x/s.jsonl', 0)).toBe(at('/backup/-y/s.jsonl', 0));
    expect(at('/home/a/.claude/projects/-x/s.jsonl', 0)).not.toBe(at('/home/a/.claude/projects/-x/s.jsonl', 16));
  });

  it('files the lines under the machine whose hook shipped them, leaving their identity as it was', () => {
    const shipped = (host?: string) =>
      envelopeEvents(envelope({ client: host ? { host } : undefined, transcript: [{ path: '/p/s.jsonl', offset: 0, lines: ['{"type":"assistant"}'] }] }))[1]!;
    expect(shipped('alpha').client).toEqual({ host: 'alpha' });
    expect(shipped().client).toBeNull();
    expect(shipped('alpha').requestId).toBe(shipped('beta').requestId);
    expect(shipped('alpha').contentHash).toEqual(shipped('beta').contentHash);
  });

  it('keys subagent transcripts by session and agent', () => {
    expect(transcriptFileKey('/h/.claude/projects/-p/abc/subagents/agent-1.jsonl')).toBe('abc/subagents/agent-1.jsonl');
    expect(transcriptFileKey('C:\\Users\\me\\.claude\\projects\\-p\\abc.jsonl')).toBe('abc.jsonl');
  });
});
