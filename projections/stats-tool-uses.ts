import type { StoredEvent } from '../core/events.js';
import { isTranscript } from './messages/events.js';
import { asRecord, nonEmptyString, nonNegative } from './stats-json.js';
import { isoOf, isoTime } from './times.js';

/** What hooks and transcript lines told of one tool use: each source fills its own fields. */
export interface ToolUseFacts {
  name?: string;
  /** Hook capture times of PreToolUse and of the earliest completion (or denial). */
  preAt?: string;
  postAt?: string;
  /** Claude Code's own `duration_ms` (2.1.119+). */
  hookMs?: number;
  hookFailed?: boolean;
  /** Line timestamps of the assistant tool_use block and of the user line's tool_result block. */
  useAt?: string;
  resultAt?: string;
  resultError?: boolean;
}

/**
 * `tooluse:<tool_use_id>`: one tool use, whichever of its hook events and transcript lines
 * arrived, in whatever order and how often. Every source names the id (a tool_result does not
 * name its tool, so no per-tool document could pair it), and the document stays a few hundred
 * bytes: `/api/stats` groups these rows by `name` (stats-tool-queries.ts). Keyed by the id
 * alone, as `response:<message.id>` is, so a fork or resume that copies the line into another
 * session's transcript does not count the use again; it belongs to the session it was first
 * seen in.
 */
export interface ToolUseDoc extends ToolUseFacts {
  kind: 'tooluse';
  toolUseId: string;
  sessionId: string;
  firstPosition: number;
  /** Derived from the facts for the query: absent until a completion or tool_result arrived. */
  failed?: boolean;
  durationMs?: number;
}

const HOOK_EVENTS = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'PermissionDenied']);

const blocks = (event: StoredEvent): Record<string, unknown>[] => {
  const content = asRecord(asRecord(asRecord(event.payload).line).message).content;
  return Array.isArray(content) ? content.map(asRecord) : [];
};

/** The facts this event adds, by tool_use_id; empty for events that tell nothing of a use. */
export function toolUseFacts(event: StoredEvent): Record<string, ToolUseFacts> {
  if (HOOK_EVENTS.has(event.type)) {
    const payload = asRecord(event.payload);
    const id = nonEmptyString(payload.tool_use_id);
    // Payloads without tool_use_id (before 2.0.43) cannot be paired: stats-tools.ts counts them.
    if (id === null) return {};
    const name = nonEmptyString(payload.tool_name) ?? undefined;
    const at = isoOf(event.capturedAt);
    if (event.type === 'PreToolUse') return { [id]: { name, preAt: at } };
    const hookMs = nonNegative(payload.duration_ms) ?? undefined;
    return { [id]: { name, postAt: at, hookMs, hookFailed: event.type !== 'PostToolUse' } };
  }
  if (!isTranscript(event)) return {};
  // A line's own time: an imported line is captured long after it was written.
  const at = isoTime(asRecord(asRecord(event.payload).line).timestamp) ?? isoOf(event.capturedAt);
  const facts: Record<string, ToolUseFacts> = {};
  for (const block of blocks(event)) {
    if (event.type === 'transcript.assistant' && block.type === 'tool_use') {
      const id = nonEmptyString(block.id);
      if (id !== null) facts[id] = { name: nonEmptyString(block.name) ?? undefined, useAt: at };
    } else if (event.type === 'transcript.user' && block.type === 'tool_result') {
      const id = nonEmptyString(block.tool_use_id);
      if (id !== null) facts[id] = { resultAt: at, resultError: block.is_error === true };
    }
  }
  return facts;
}

// Every merge is commutative, associative and idempotent (least name, earliest times, longest
// reported duration, a failure wins), so the document does not depend on arrival order or repeats.
const earliest = (a?: string, b?: string) => (a && b ? (a < b ? a : b) : (a ?? b));
const either = (a?: boolean, b?: boolean) => (a === undefined && b === undefined ? undefined : a === true || b === true);
const longest = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));

function merge(a: ToolUseFacts, b: ToolUseFacts): ToolUseFacts {
  return {
    name: earliest(a.name, b.name),
    preAt: earliest(a.preAt, b.preAt),
    postAt: earliest(a.postAt, b.postAt),
    hookMs: longest(a.hookMs, b.hookMs),
    hookFailed: either(a.hookFailed, b.hookFailed),
    useAt: earliest(a.useAt, b.useAt),
    resultAt: earliest(a.resultAt, b.resultAt),
    resultError: either(a.resultError, b.resultError),
  };
}

const between = (from?: string, to?: string): number | undefined => {
  if (!from || !to) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
};

/** Hook duration_ms, then hook PreToolUse → completion, then transcript tool_use → tool_result. */
export const durationOf = (use: ToolUseFacts): number | undefined =>
  use.hookMs ?? between(use.preAt, use.postAt) ?? between(use.useAt, use.resultAt);

/** The key of every use this event tells of. */
export const toolUseKeys = (event: StoredEvent): string[] => Object.keys(toolUseFacts(event)).map((id) => `tooluse:${id}`);

export function evolveToolUse(doc: ToolUseDoc | undefined, event: StoredEvent, toolUseId: string): ToolUseDoc {
  const fact = toolUseFacts(event)[toolUseId] ?? {};
  const facts = merge(doc ?? {}, fact);
  const failed = either(facts.hookFailed, facts.resultError);
  const durationMs = failed === undefined ? undefined : durationOf(facts);
  // The session is the one of the earliest line or hook event, whatever order they came in.
  const first = doc === undefined || event.position < doc.firstPosition;
  const merged: ToolUseDoc = {
    kind: 'tooluse',
    toolUseId,
    sessionId: first ? event.sessionId : doc.sessionId,
    firstPosition: first ? event.position : doc.firstPosition,
    ...facts,
    failed,
    durationMs,
  };
  // Absent fields are left out, not stored as null.
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)) as unknown as ToolUseDoc;
}
