import type { Envelope } from '../../core/envelope.js';
import { envelopeEvents } from '../../core/envelope-events.js';
import type { NewEvent } from '../../core/events.js';

/**
 * Whole Claude Code turns as the hook sends them: hook events plus the transcript lines they
 * ship (a prompt, an assistant response over three lines sharing one message.id, a tool use
 * and its result). Sizes are realistic: tool output of a few KB, short prose.
 */
const output = (n: number) => `PASS test/${n}.test.ts\n${'  ✓ does a thing that matters (3 ms)\n'.repeat(20 + (n % 60))}`;

/** A turn's transcript lines: a prompt, an assistant response over three lines sharing one message.id, a tool result. */
function turnLines(sessionId: string, turn: number, time: (s: number) => string): string[] {
  const tool = `toolu_${sessionId.slice(0, 8)}_${turn}`;
  const message = `msg_${sessionId.slice(0, 8)}_${turn}`;
  const usage = { input_tokens: 1200 + turn, output_tokens: 300, cache_creation_input_tokens: 500, cache_read_input_tokens: 9000 };
  const assistant = (uuid: string, content: unknown) =>
    JSON.stringify({ type: 'assistant', sessionId, uuid, timestamp: time(3), message: { id: message, model: 'claude-sonnet-4-5', role: 'assistant', content: [content], usage } });
  return [
    JSON.stringify({ type: 'user', sessionId, uuid: `${message}-u`, timestamp: time(1), message: { role: 'user', content: `Please fix test ${turn}` } }),
    assistant(`${message}-t`, { type: 'thinking', thinking: 'Let me look at the failing test first.', signature: 'sig' }),
    assistant(`${message}-x`, { type: 'text', text: `I will run the tests for ${turn}.` }),
    assistant(`${message}-c`, { type: 'tool_use', id: tool, name: 'Bash', input: { command: 'npm test' } }),
    JSON.stringify({ type: 'user', sessionId, uuid: `${message}-r`, timestamp: time(6), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: tool, content: output(turn) }] } }),
  ];
}

const bytesOf = (lines: readonly string[]) => lines.reduce((n, line) => n + Buffer.byteLength(line) + 1, 0);

/**
 * Where each turn's lines begin in its session's transcript, as Claude Code writes the file:
 * line after line, so the chunks the hooks ship are contiguous. (Offsets spaced by turn made
 * every generated transcript a run of holes, and the completeness projection's file document
 * grow by two ranges a turn.) A turn's size does not depend on its time: ISO timestamps are
 * all as long.
 */
const turnStarts = new Map<string, number[]>();
const someTime = () => new Date(0).toISOString();

function startsOf(sessionId: string, turn: number): number[] {
  let starts = turnStarts.get(sessionId);
  if (!starts) turnStarts.set(sessionId, (starts = [0]));
  // Only a turn asked for before the ones ahead of it builds their lines here; in order, each turn records the next start.
  while (starts.length <= turn) starts.push(starts.at(-1)! + bytesOf(turnLines(sessionId, starts.length - 1, someTime)));
  return starts;
}

export function turnEvents(sessionId: string, turn: number, at: Date): NewEvent[] {
  const time = (s: number) => new Date(at.getTime() + s * 1000).toISOString();
  const tool = `toolu_${sessionId.slice(0, 8)}_${turn}`;
  const base = { session_id: sessionId, transcript_path: `/home/dev/.claude/projects/-home-dev-app/${sessionId}.jsonl`, cwd: '/home/dev/app' };
  const lines = turnLines(sessionId, turn, time);
  const starts = startsOf(sessionId, turn);
  const start = starts[turn]!;
  if (starts.length === turn + 1) starts.push(start + bytesOf(lines));
  const envelope = (event: string, seconds: number, payload: Record<string, unknown>, transcript?: Envelope['transcript']): Envelope => ({
    requestId: `${sessionId}-${turn}-${event}`,
    event,
    sessionId,
    capturedAt: time(seconds),
    payload: { ...base, hook_event_name: event, ...payload },
    client: { host: 'bench', attempt: 1 },
    ...(transcript ? { transcript } : {}),
  });
  const toolFields = { tool_name: 'Bash', tool_input: { command: 'npm test' }, tool_use_id: tool };
  return [
    envelope('UserPromptSubmit', 0, { prompt: `Please fix test ${turn}` }),
    envelope('PreToolUse', 4, toolFields, [{ path: base.transcript_path, offset: start, lines: lines.slice(0, 4) }]),
    envelope('PostToolUse', 5, { ...toolFields, tool_response: { stdout: output(turn), stderr: '' }, duration_ms: 900 }),
    envelope('Stop', 7, { stop_hook_active: false }, [{ path: base.transcript_path, offset: start + bytesOf(lines.slice(0, 4)), lines: lines.slice(4) }]),
  ].flatMap((e) => envelopeEvents(e));
}
