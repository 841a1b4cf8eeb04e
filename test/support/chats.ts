import type { Envelope } from '../../core/envelope.js';
import { envelopeEvents } from '../../core/envelope-events.js';
import type { NewEvent } from '../../core/events.js';
import { envelope } from './events.js';

/** Prompts as both their hook and their transcript line (as Claude Code sends them), and plain answers. */
export function chatEvents(sessionId: string, cwd: string, day: number, exchanges: Array<[prompt: string, answer: string]>): NewEvent[] {
  const at = (s: number) => new Date(Date.UTC(2026, 10, day, 8, 0, s)).toISOString();
  const path = `/home/dev/.claude/projects/${cwd.replaceAll('/', '-')}/${sessionId}.jsonl`;
  return exchanges.flatMap(([prompt, answer], i) => {
    const base = { session_id: sessionId, transcript_path: path, cwd };
    const user = JSON.stringify({ type: 'user', sessionId, cwd, uuid: `${sessionId}-u${i}`, timestamp: at(i * 10 + 1), message: { role: 'user', content: prompt } });
    const reply = JSON.stringify({
      type: 'assistant', sessionId, cwd, uuid: `${sessionId}-a${i}`, parentUuid: `${sessionId}-u${i}`, timestamp: at(i * 10 + 2),
      message: { id: `msg_${sessionId.slice(0, 8)}_${i}`, model: 'claude-sonnet-4-5', role: 'assistant', content: [{ type: 'text', text: answer }] },
    });
    const hook = (event: string, s: number, payload: object, transcript?: Envelope['transcript']) =>
      envelopeEvents(envelope({ requestId: `${sessionId}-${i}-${event}`, event, sessionId, capturedAt: at(i * 10 + s), payload: { ...base, hook_event_name: event, ...payload }, ...(transcript ? { transcript } : {}) }));
    return [...hook('UserPromptSubmit', 0, { prompt }), ...hook('Stop', 3, {}, [{ path, offset: i * 10_000, lines: [user, reply] }])];
  });
}
