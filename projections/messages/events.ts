import { TRANSCRIPT_TYPE_PREFIX, type StoredEvent } from '../../core/events.js';
import { isoOf, isoTime } from '../times.js';

/**
 * Reading hook payloads and transcript lines, shared by the conversations and messages
 * projections. Every field except the session is optional and may have another type (the
 * payload may even be `{raw, captureError}`), so nothing here trusts a shape.
 */
export type Json = Record<string, unknown>;

export const obj = (value: unknown): Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
export const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
export const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
export const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(obj) : []);

export const isTranscript = (event: StoredEvent): boolean => event.type.startsWith(TRANSCRIPT_TYPE_PREFIX);
export const lineType = (event: StoredEvent): string => event.type.slice(TRANSCRIPT_TYPE_PREFIX.length);

/** The parsed line and its file key (`<session>.jsonl` or `<session>/subagents/agent-<id>.jsonl`). */
export function transcript(event: StoredEvent): { line: Json; file: string } {
  const payload = obj(event.payload);
  return { line: obj(payload.line), file: str(payload.file) ?? '' };
}

/** A line's own time: the capture time of a shipped line can be much later (lag, import). */
export const lineTime = (event: StoredEvent): string | undefined =>
  isTranscript(event) ? isoTime(transcript(event).line.timestamp) : undefined;

export const eventTime = (event: StoredEvent): string => lineTime(event) ?? isoOf(event.capturedAt);

/** `eventTime` of a transcript event whose line the caller has already read. */
export const lineEventTime = (line: Json, event: StoredEvent): string => isoTime(line.timestamp) ?? isoOf(event.capturedAt);

export const earliest = (a: string | null | undefined, b: string | null | undefined): string | null =>
  a && b ? (a < b ? a : b) : (a ?? b ?? null);

const agentFile = /(?:^|\/)agent-([^/]+)\.jsonl$/;

/** The subagent a line belongs to: older subagent files lack `agentId`, but the file name has it. */
export function lineAgent(line: Json, file: string): string | undefined {
  // Every main-thread line gets here: the substring test spares them the regex.
  return str(line.agentId) ?? (file.includes('agent-') ? agentFile.exec(file)?.[1] : undefined);
}

export const isMainThread = (line: Json, file: string): boolean => lineAgent(line, file) === undefined && line.isSidechain !== true;

/** The non-empty `type` blocks of a content list, joined by newlines; a loop, as it runs for every line of a rebuild. */
export function textOf(content: unknown, type = 'text'): string {
  if (typeof content === 'string') return type === 'text' ? content : '';
  if (!Array.isArray(content)) return '';
  let joined = '';
  for (const item of content as unknown[]) {
    const block = obj(item);
    const text = block[type];
    if (block.type !== type || typeof text !== 'string' || text === '') continue;
    joined = joined === '' ? text : `${joined}\n${text}`;
  }
  return joined;
}

const isToolResult = (block: unknown): boolean => obj(block).type === 'tool_result';

/** The text of a user line that a person (or the IDE, or Claude Code) wrote: not tool results. */
export function userText(line: Json): string | undefined {
  const content = obj(line.message).content;
  if (Array.isArray(content) && content.some(isToolResult)) return undefined;
  const text = textOf(content);
  return text.trim() === '' ? undefined : text;
}

const noise = /^\s*(<system-reminder>|<local-command-caveat>|Caveat: )/;
const command = /^\s*<(command-name|command-message|local-command-[a-z]+|bash-[a-z]+)>/;

/** Local slash commands and `!` shell runs are `command`s; meta lines and compact summaries are not messages. */
export function userLineKind(line: Json, text: string): 'prompt' | 'command' | undefined {
  if (line.isMeta === true || line.isCompactSummary === true || noise.test(text)) return undefined;
  return command.test(text) ? 'command' : 'prompt';
}

const ideContext = /^\s*<(ide_[a-z_]+|system-reminder)\b[^>]*>[\s\S]*?<\/\1>/;

/** What the person typed, without leading IDE context; undefined for injected text (task notifications, interrupt markers). */
export function typedPrompt(text: string): string | undefined {
  let rest = text;
  for (let match = ideContext.exec(rest); match; match = ideContext.exec(rest)) rest = rest.slice(match[0].length);
  rest = rest.trim();
  return rest === '' || rest.startsWith('<') || rest.startsWith('[Request interrupted') ? undefined : rest;
}

/**
 * The prompt id a line shares with its UserPromptSubmit. Hooks get `prompt_id` from Claude Code
 * 2.1.196 on, while transcripts had `promptId` earlier: before that version the two differ.
 */
export function linePromptId(line: Json): string | undefined {
  const version = (str(line.version) ?? '').split('.').map(Number);
  const [major = 0, minor = 0, patch = 0] = version;
  const recent = major > 2 || (major === 2 && (minor > 1 || (minor === 1 && patch >= 196)));
  return recent ? str(line.promptId) : undefined;
}
