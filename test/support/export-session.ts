import type { Envelope } from '../../core/envelope.js';
import { envelopeEvents } from '../../core/envelope-events.js';
import type { NewEvent } from '../../core/events.js';
import { usage } from './transcripts.js';

export const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';
export const SECRET = 'sk-ant-api03-Zq7xK2mP9vL4nR8tW1yB6cF3hJ5gD0sA';

/**
 * A conversation to export, as the hook sends it: a prompt naming a home path and a key, a
 * response with thinking, a Bash call whose output is HTML, and a closing answer.
 */
export function exportSession(sessionId: string, title = 'Export me'): NewEvent[] {
  const cwd = '/home/alice/app';
  const path = `/home/alice/.claude/projects/-home-alice-app/${sessionId}.jsonl`;
  const at = (s: number) => new Date(Date.UTC(2026, 2, 1, 10, 0, s)).toISOString();
  const base = { parentUuid: null, isSidechain: false, userType: 'external', cwd, sessionId, version: '2.1.114', gitBranch: 'main' };
  const prompt = `${title}\nfix /home/alice/app/parser.ts, the key is ${SECRET}`;
  const assistant = (uuid: string, s: number, id: string, content: unknown) => JSON.stringify({
    ...base, type: 'assistant', uuid, timestamp: at(s), requestId: `req_${id}`,
    message: { id, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [content], usage: usage(100, 200, 0, 1000) },
  });
  const tool = `toolu_${sessionId.slice(0, 8)}`;
  const lines = [
    JSON.stringify({ ...base, type: 'user', uuid: 'e1', timestamp: at(1), promptId: 'p1', message: { role: 'user', content: prompt } }),
    assistant('e2', 2, `msg_${sessionId.slice(0, 8)}_1`, { type: 'thinking', thinking: 'Run the page test first.', signature: 'sig' }),
    assistant('e3', 2, `msg_${sessionId.slice(0, 8)}_1`, { type: 'text', text: 'Let me **run** it.' }),
    assistant('e4', 2, `msg_${sessionId.slice(0, 8)}_1`, { type: 'tool_use', id: tool, name: 'Bash', input: { command: 'cat page.html' } }),
    JSON.stringify({ ...base, type: 'user', uuid: 'e5', timestamp: at(4), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: tool, content: HOSTILE }] }, toolUseResult: { stdout: HOSTILE, stderr: '' } }),
    assistant('e6', 6, `msg_${sessionId.slice(0, 8)}_2`, { type: 'text', text: 'The page is fixed.' }),
  ];
  const hook = (event: string, s: number, payload: object, transcript?: Envelope['transcript']): Envelope => ({
    requestId: `${sessionId}-${event}`, event, sessionId, capturedAt: at(s),
    payload: { session_id: sessionId, transcript_path: path, cwd, hook_event_name: event, ...payload },
    client: { host: 'devbox', attempt: 1 }, ...(transcript ? { transcript } : {}),
  });
  return [
    hook('SessionStart', 0, { source: 'startup', model: 'claude-sonnet-4-5' }),
    hook('UserPromptSubmit', 1, { prompt }),
    hook('Stop', 7, { stop_hook_active: false }, [{ path, offset: 0, lines }]),
  ].flatMap((e) => envelopeEvents(e));
}
