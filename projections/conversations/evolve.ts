import type { StoredEvent } from '../../core/events.js';
import type { Conversation, ConversationStatus, WaitingFor } from './index.js';
import { addAgent, count, derive, isNewResponse, markCompaction, offerTitle, seeLeaf, setStatus, touch } from './state.js';
import {
  eventTime, isMainThread, isTranscript, lineAgent, lineTime, lineType, list, obj, str, transcript, typedPrompt, userLineKind, userText,
  type Json,
} from '../messages/events.js';

function empty(sessionId: string): Conversation {
  return {
    sessionId, title: null, titleSource: null, cwd: null, project: null, gitBranch: null, model: null, hosts: [], status: 'active',
    waitingFor: null, waitingSince: null,
    startedAt: null, lastActivityAt: null, endedAt: null, endReason: null,
    promptCount: 0, messageCount: 0, toolUseCount: 0, toolFailureCount: 0, subagentCount: 0, compactions: 0,
    agents: [],
    bookkeeping: { statusAt: null, tally: {}, titles: {}, responseIds: [], leaves: [], compactionMarks: [] },
  };
}

/** Teams send from many machines, but one conversation runs on one or two. */
const MAX_HOSTS = 20;

/**
 * A private copy of what the appliers change in place: the document and its bookkeeping.
 * Everything below them (agents, tallies, titles, the arrays) is shared and replaced, never
 * changed, by whichever applier changes it (conversations/state.ts): an event changes one
 * counter or none, and copying every tally, title and agent for each event was most of a
 * rebuild. The frozen-input tests guard the rule.
 */
function copy(c: Conversation): Conversation {
  return { ...c, bookkeeping: { ...c.bookkeeping } };
}

/** Pure: the event is applied to a private copy of the document. */
export function evolveConversation(doc: Conversation | undefined, event: StoredEvent): Conversation {
  const next = doc ? copy(doc) : empty(event.sessionId);
  const host = event.client?.host;
  // Replaced, not pushed: the array is shared with the previous document (see copy).
  if (host && !next.hosts.includes(host) && next.hosts.length < MAX_HOSTS) next.hosts = [...next.hosts, host];
  if (isTranscript(event)) applyLine(next, event);
  else applyHook(next, event);
  derive(next);
  return next;
}

const hookTallies: Record<string, string[]> = {
  PreToolUse: ['hook:pre'],
  PostToolUse: ['hook:post'],
  PostToolUseFailure: ['hook:post', 'hook:failure'],
  PermissionDenied: ['hook:failure'],
  PreCompact: ['hook:precompact'],
  PostCompact: ['hook:postcompact'],
};

const waitingNotifications = new Set(['idle_prompt', 'permission_prompt', 'elicitation_dialog', 'elicitation_url_dialog']);

function hookStatus(type: string, payload: Json): ConversationStatus | undefined {
  if (type === 'SessionEnd') return 'ended';
  if (type === 'Stop' || type === 'StopFailure' || type === 'PermissionRequest') return 'waiting';
  // Notifications of 2025 had no type and were only sent to ask for input or permission.
  if (type === 'Notification') {
    const kind = str(payload.notification_type);
    return kind === undefined || waitingNotifications.has(kind) ? 'waiting' : undefined;
  }
  return 'active';
}

const prompts: Record<string, WaitingFor> = {
  permission_prompt: 'permission', idle_prompt: 'input', elicitation_dialog: 'input', elicitation_url_dialog: 'input',
};

/** What a Notification asks the user for; an untyped one of 2025 says so in its message. */
function promptOf(type: string, payload: Json): WaitingFor | undefined {
  if (type !== 'Notification') return undefined;
  const kind = str(payload.notification_type);
  if (kind === undefined) return /permission/i.test(str(payload.message) ?? '') ? 'permission' : 'input';
  return prompts[kind];
}

function applyHook(c: Conversation, event: StoredEvent): void {
  const payload = obj(event.payload);
  const at = eventTime(event);
  const newest = touch(c, at, str(payload.cwd));
  for (const name of hookTallies[event.type] ?? []) count(c, name);
  const agentId = str(payload.agent_id);
  switch (event.type) {
    case 'SessionStart':
      if (str(payload.model) && (newest || !c.model)) c.model = str(payload.model)!;
      offerTitle(c, 'session', str(payload.session_title), { position: event.position });
      break;
    case 'UserPromptSubmit': {
      const prompt = str(payload.prompt);
      // Counted as its transcript line is, so the larger count of the two is the number typed;
      // a payload that could not be read still was a prompt.
      if (typeof payload.prompt !== 'string' || (prompt !== undefined && isTypedPrompt(prompt))) count(c, 'hook:prompt');
      offerPrompt(c, prompt, at);
      break;
    }
    case 'SubagentStart':
    case 'SubagentStop':
      if (agentId) addAgent(c, agentId, at, event.type === 'SubagentStart' ? 'start' : 'stop', str(payload.agent_type));
      break;
    default:
      if (agentId) addAgent(c, agentId, at, 'seen');
  }
  setStatus(c, hookStatus(event.type, payload), at, str(payload.reason), promptOf(event.type, payload));
}

/**
 * Whether a UserPromptSubmit's text is what the transcript keeps as a typed prompt: slash
 * commands (`/compact`, `/review x`) go there as command lines, injected text as no prompt.
 */
const slashCommand = /^\/[\w:.-]+(?:\s|$)/;
const isTypedPrompt = (text: string): boolean => {
  const typed = typedPrompt(text);
  return typed !== undefined && !slashCommand.test(typed);
};

/** Slash commands (`/clear`) and injected text make poor titles. */
function offerPrompt(c: Conversation, text: string | undefined, at: string): void {
  const typed = text === undefined ? undefined : typedPrompt(text);
  if (typed && !/^\/\S/.test(typed)) offerTitle(c, 'prompt', typed, { at });
}

interface LineContext {
  line: Json;
  main: boolean;
  /** The line's own time, if it has one: without it a line still counts but cannot move times or status. */
  own: string | undefined;
  newest: boolean;
}

function applyLine(c: Conversation, event: StoredEvent): void {
  const { line, file } = transcript(event);
  const type = lineType(event);
  if (type === 'ai-title') return offerTitle(c, 'ai', str(line.aiTitle), { position: event.position });
  if (type === 'custom-title') return offerTitle(c, 'custom', str(line.customTitle), { position: event.position });
  const own = lineTime(event);
  const context: LineContext = { line, main: isMainThread(line, file), own, newest: own !== undefined && touch(c, own, str(line.cwd)) };
  if (str(line.gitBranch) && (context.newest || !c.gitBranch)) c.gitBranch = str(line.gitBranch)!;
  const agentId = lineAgent(line, file);
  if (agentId) addAgent(c, agentId, eventTime(event), 'seen');
  if (context.main) seeLeaf(c, str(line.uuid), str(line.parentUuid), type !== 'system');
  if (context.main) countCompaction(c, type, line, event.position);
  if (type === 'user') applyUserLine(c, context, eventTime(event));
  if (type === 'assistant') applyAssistantLine(c, context);
}

/**
 * Keyed as the messages projection keys its compaction markers (messages/lines.ts), so the
 * count is the timeline's: a boundary by its uuid, a compact summary by its parent (the
 * boundary it follows, or before boundaries existed whatever it follows), else its own uuid.
 */
function countCompaction(c: Conversation, type: string, line: Json, position: number): void {
  const own = str(line.uuid) ?? `@${position}`;
  if (type === 'system' && line.subtype === 'compact_boundary') markCompaction(c, own);
  else if (type === 'user' && line.isCompactSummary === true) markCompaction(c, str(line.parentUuid) ?? own);
}

function applyUserLine(c: Conversation, { line, main, own }: LineContext, at: string): void {
  for (const block of list(obj(line.message).content)) {
    if (block.type === 'tool_result' && block.is_error === true) count(c, 'line:tool_error');
  }
  const text = userText(line);
  if (!main || text === undefined || userLineKind(line, text) !== 'prompt' || !typedPrompt(text)) return;
  count(c, 'line:prompt');
  offerPrompt(c, text, at);
  if (own) setStatus(c, 'active', own);
}

function applyAssistantLine(c: Conversation, { line, main, own, newest }: LineContext): void {
  const message = obj(line.message);
  for (const block of list(message.content)) if (block.type === 'tool_use') count(c, 'line:tool_use');
  if (!main) return;
  if (isNewResponse(c, message)) count(c, 'line:response');
  const model = str(message.model);
  if (model && model !== '<synthetic>' && (newest || !c.model)) c.model = model;
  if (own) setStatus(c, message.stop_reason === 'end_turn' ? 'waiting' : 'active', own);
}
