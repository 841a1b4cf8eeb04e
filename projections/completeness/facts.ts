import { createHash } from 'node:crypto';
import type { StoredEvent } from '../../core/events.js';
import { isMainThread, isTranscript, lineAgent, lineType, textOf, transcript, typedPrompt, userLineKind, userText } from '../messages/events.js';
import { asRecord, nonEmptyString, nonNegative } from '../stats-json.js';
import { toolUseFacts } from '../stats-tool-uses.js';

/** A prompt's identity across its hook and its line: the typed text without whitespace, hashed. */
export const promptHash = (text: string): string => createHash('sha1').update(text.replace(/\s+/g, '')).digest('base64url').slice(0, 16);

/** The typed prompt a UserPromptSubmit carries; slash commands become command lines, not prompts. */
export function hookPrompt(event: StoredEvent): string | undefined {
  if (event.type !== 'UserPromptSubmit') return undefined;
  const prompt = nonEmptyString(asRecord(event.payload).prompt);
  const typed = prompt === null ? undefined : typedPrompt(prompt);
  return typed === undefined || typed.startsWith('/') ? undefined : typed;
}

/** The typed prompt of a main-thread user line, as the timeline shows it. */
export function linePrompt(event: StoredEvent): string | undefined {
  if (!isTranscript(event) || lineType(event) !== 'user') return undefined;
  const { line, file } = transcript(event);
  const text = userText(line);
  if (text === undefined || !isMainThread(line, file) || userLineKind(line, text) !== 'prompt') return undefined;
  return typedPrompt(text);
}

/** Tool use ids this event tells of, with which source it is. */
export function toolSources(event: StoredEvent): Array<{ id: string; source: 'line' | 'result' | 'pre' | 'post' | 'denied'; name?: string }> {
  return Object.entries(toolUseFacts(event)).map(([id, facts]) => {
    if (event.type === 'PreToolUse') return { id, source: 'pre', name: facts.name };
    if (event.type === 'PermissionDenied') return { id, source: 'denied', name: facts.name };
    if (event.type === 'PostToolUse' || event.type === 'PostToolUseFailure') return { id, source: 'post', name: facts.name };
    return { id, source: facts.useAt ? 'line' : 'result', name: facts.name };
  });
}

/**
 * Lines stored before events said their length (`bytes`): measured by writing them again,
 * as Claude Code writes them (JSON.stringify), which is exact for its lines.
 */
function measured(event: StoredEvent, payload: Record<string, unknown>): number {
  const body = event.payloadJson !== null ? asRecord(JSON.parse(event.payloadJson)) : payload;
  return Buffer.byteLength(typeof body.raw === 'string' ? body.raw : JSON.stringify(body.line ?? null));
}

/** Where a stored line lies in its file: [offset, end), the newline included. */
export function lineRange(event: StoredEvent): { file: string; path: string; start: number; end: number } | null {
  if (!isTranscript(event)) return null;
  const payload = asRecord(event.payload);
  const start = nonNegative(payload.offset);
  const file = nonEmptyString(payload.file);
  if (start === null || file === null) return null;
  const bytes = nonNegative(payload.bytes) ?? measured(event, payload);
  return { file, path: nonEmptyString(payload.path) ?? file, start, end: start + bytes + 1 };
}

/**
 * A reply's identity across a Stop hook's `last_assistant_message` and its transcript line:
 * its last non-blank line, as the hook may join a reply's text blocks while each transcript
 * line holds one, and a block ends where its reply does.
 */
export function replyHash(text: string): string {
  const last = text.split('\n').map((l) => l.replace(/\s+/g, '')).filter((l) => l !== '').at(-1) ?? '';
  return promptHash(last.slice(-64));
}

/** The reply a Stop hook closed its turn with (2.1.47+; older hooks do not say). */
export function stopReply(event: StoredEvent): string | undefined {
  if (event.type !== 'Stop') return undefined;
  return nonEmptyString(asRecord(event.payload).last_assistant_message) ?? undefined;
}

/** The text of a main-thread assistant line. */
export function lineReply(event: StoredEvent): string | undefined {
  if (!isTranscript(event) || lineType(event) !== 'assistant') return undefined;
  const { line, file } = transcript(event);
  if (!isMainThread(line, file)) return undefined;
  const text = textOf(asRecord(line.message).content);
  return text.trim() === '' ? undefined : text;
}

/** The subagent a SubagentStop closed, or whose transcript line this is. */
export function agentOf(event: StoredEvent): { id: string; source: 'stop' | 'line' } | undefined {
  if (event.type === 'SubagentStop') {
    const id = nonEmptyString(asRecord(event.payload).agent_id);
    return id === null ? undefined : { id, source: 'stop' };
  }
  if (!isTranscript(event)) return undefined;
  const { line, file } = transcript(event);
  const id = lineAgent(line, file);
  return id === undefined ? undefined : { id, source: 'line' };
}
