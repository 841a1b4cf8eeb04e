import type { StoredEvent } from '../../core/events.js';
import type { DocProjection } from '../projection.js';
import { hookFacts } from './hooks.js';
import { lineFacts } from './lines.js';
import { mergeMessage } from './merge.js';
import { isTranscript, lineType } from './events.js';
import { wordsDdl } from './words.js';

export { listMessages, type MessageListOptions, type MessagePage } from './queries.js';

export type MessageKind = 'prompt' | 'command' | 'assistant' | 'tool' | 'notification' | 'compaction' | 'subagent' | 'session';

/** Tools and subagents: `ok` once finished; a failure (or a denial) wins over any success report. */
export type MessageStatus = 'running' | 'ok' | 'failed';

/**
 * One entry of a conversation's timeline. Keys are `<kind>:<session>:<id>`: the session is in
 * every key because forks and old resumes copy lines, with their uuids and tool ids, into a
 * new session's transcript. Fields by kind:
 *   prompt       text, promptId, typed (a person typed it), pairedKeys   (a transcript line, with its
 *                UserPromptSubmit paired in when read; or the hook alone until its line arrives)
 *   command      text                                        (local slash commands and `!` runs and their output)
 *   assistant    text, thinking, uuid, messageId, model, usage, stopReason   (one transcript line)
 *   tool         toolUseId, toolName, input, result, resultFrom, error, status, startedAt, endedAt,
 *                durationMs, childAgentId (the subagent an Agent/Task call started)
 *   notification text, title, notificationType
 *   compaction   stage (pre | post | boundary), trigger, instructions, text (the summary, from the
 *                PostCompact hook or the transcript's compact summary line), preTokens
 *   subagent     agentId, agentType, parentSessionId, status, startedAt, endedAt, text (last message), transcriptPath
 *   session      event (start | end), source, reason, model
 */
export interface Message {
  kind: MessageKind;
  sessionId: string;
  /** The earliest time seen for it: a line's own timestamp, else the hook's capture time. */
  at: string;
  /** Log positions of the events it was built from, ascending: its provenance. */
  sources: number[];
  /** The subagent it happened in (for kind `subagent`, the subagent itself): the UI nests by it. */
  agentId?: string;
  /** A 1.0.x sidechain line's uuid: which subagent run it is in is worked out when read. */
  lineUuid?: string;
  /** The workflow (`wf_<id>`) whose agent this is, from its file's folder. */
  workflow?: string;
  /** Set when strings above 64 KiB were cut; the log keeps them whole. */
  truncated?: true;
  text?: string;
  thinking?: string;
  promptId?: string;
  typed?: true;
  /** Documents folded into this entry when read (a prompt's UserPromptSubmit): a client drops them. */
  pairedKeys?: string[];
  uuid?: string;
  messageId?: string;
  model?: string;
  usage?: unknown;
  stopReason?: string;
  toolUseId?: string;
  toolName?: string;
  input?: unknown;
  result?: unknown;
  /** Whether `result`/`error` came from the hook (preferred) or from the transcript's copy. */
  resultFrom?: 'hook' | 'transcript';
  error?: string;
  status?: MessageStatus;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  /** When each source saw a tool call start or end, and the duration Claude Code reported. */
  timing?: { pre?: string; post?: string; use?: string; result?: string; reportedMs?: number };
  childAgentId?: string;
  title?: string;
  notificationType?: string;
  stage?: 'pre' | 'post' | 'boundary';
  trigger?: string;
  instructions?: string;
  preTokens?: number;
  agentType?: string;
  parentSessionId?: string;
  transcriptPath?: string;
  event?: 'start' | 'end';
  source?: string;
  reason?: string;
}

/** What one event says about one message. */
export type Patch = Partial<Message> & Pick<Message, 'kind' | 'sessionId' | 'at'>;

const hookTypes = new Set([
  'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'PermissionDenied', 'Notification',
  'PreCompact', 'PostCompact', 'SubagentStart', 'SubagentStop', 'SessionStart', 'SessionEnd',
]);
const lineTypes = new Set(['user', 'assistant', 'system']);

type Facts = Array<[key: string, patch: Patch]>;

// keys() and then evolve() for each key read the same event: work it out once per event. A
// WeakMap, so the cache never keeps a batch's payloads alive longer than the engine does.
const factsOf = new WeakMap<StoredEvent, Facts>();

function facts(event: StoredEvent): Facts {
  let found = factsOf.get(event);
  if (!found) {
    found = isTranscript(event) ? lineFacts(event) : hookFacts(event);
    factsOf.set(event, found);
  }
  return found;
}

export const messages: DocProjection<Message> = {
  name: 'messages',
  // 2: the full-text index on prompt and assistant text (ddl below). 3: a document per prompt
  // line and per UserPromptSubmit; compact summaries in their markers. 4: each conversation's
  // words (words.ts), so a word search reads a row per conversation, not per message.
  version: 4,
  // Every key is `<kind>:<session>:…`, the event's session: it may be split into partitions.
  perSessionKeys: true,
  handles: (event) => (isTranscript(event) ? lineTypes.has(lineType(event)) : hookTypes.has(event.type)),
  keys: (event) => facts(event).map(([key]) => key),
  evolve: (doc, event, key) => {
    // A repeated event is already in the document's provenance: applying it again changes nothing.
    if (doc?.sources.includes(event.position)) return doc;
    const patch = facts(event).find(([factKey]) => factKey === key)?.[1];
    if (!patch) throw new Error(`event ${event.position} does not describe ${key}`);
    return mergeMessage(doc, patch, event.position, !isTranscript(event));
  },
  index: (doc) => ({ sessionId: doc.sessionId, at: doc.at, seq: doc.sources[0] ?? null }),
  ddl: (table) => {
    const name = table.slice(table.lastIndexOf('.') + 1);
    // The conversation search (conversations/queries.ts) repeats this expression and predicate
    // verbatim: the planner only uses an expression index for the very same expression.
    return [
      `create index if not exists ${name}_text on ${table} using gin (to_tsvector('simple', coalesce(doc->>'text', ''))) where doc->>'kind' in ('prompt', 'assistant')`,
      ...wordsDdl(table),
    ];
  },
};
