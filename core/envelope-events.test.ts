import { describe, expect, it } from 'vitest';
import { envelope } from '../test/support/events.js';
import { envelopeEvents } from './envelope-events.js';
import { transcriptFileKey } from './transcript-line.js';

describe('envelopeEvents', () => {
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
