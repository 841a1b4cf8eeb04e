import type { StoredEvent } from '../../core/events.js';
import { isTranscript } from '../messages/events.js';
import { nonEmptyString, nonNegative } from '../stats-json.js';
import { isoOf } from '../times.js';
import { closesKeys, evolveAgent, evolveTurn, type AgentCheck, type TurnCheck } from './closes.js';
import { addRange, holes, type Range } from './coverage.js';
import { hookPrompt, linePrompt, lineRange, promptHash, toolSources } from './facts.js';

/**
 * Every document counts what it expects and what is there (`expected`, `present`), and how
 * many expectations are unmet (`open`); completeness/rollups.ts sums them per session, and
 * classify.ts says, per session, which unmet ones are expected and why.
 */
interface Counted {
  sessionId: string;
  expected: number;
  present: number;
  open: number;
}

/** One tool use: its transcript tool_use and tool_result, its PreToolUse and its completion (or denial). */
export interface ToolCheck extends Counted {
  kind: 'tool';
  toolUseId: string;
  name: string | null;
  at: string;
  seen: Partial<Record<'line' | 'result' | 'pre' | 'post' | 'denied', number>>;
}

/** One prompt text of a session: as many UserPromptSubmit hooks as typed prompt lines. */
export interface PromptCheck extends Counted {
  kind: 'prompt';
  text: string;
  at: string;
  hooks: number;
  lines: number;
  position: number;
}

/** One transcript file: the byte ranges stored. */
export interface FileCheck extends Counted {
  kind: 'file';
  file: string;
  path: string;
  ranges: Range[];
  lines: number;
}

/** What a session's hook stream says: which hooks fired, when, how often retried or late. */
export interface SessionCheck extends Counted {
  kind: 'session';
  hookTypes: Record<string, number>;
  firstHookAt: string | null;
  lastHookAt: string | null;
  lastLineAt: string | null;
  lines: number;
  retried: number;
  maxAttempt: number;
  late: number;
  /** The longest a hook event took from capture to the store (a spool's age when it drained). */
  maxDelayMs: number;
  host: string | null;
}

export type { AgentCheck, TurnCheck } from './closes.js';
export type CompletenessDoc = ToolCheck | PromptCheck | FileCheck | SessionCheck | TurnCheck | AgentCheck;

/** A hook event received this long after its capture arrived late (from the spool, say). */
export const LATE_MS = 60_000;

export function completenessKeys(event: StoredEvent): string[] {
  const keys = [`session:${event.sessionId}`, ...toolSources(event).map(({ id }) => `tool:${id}`)];
  const prompt = hookPrompt(event) ?? linePrompt(event);
  if (prompt !== undefined) keys.push(`prompt:${event.sessionId}:${promptHash(prompt)}`);
  const range = lineRange(event);
  // By file alone: a line naming another session (a fork, a resume) still lies in this file.
  if (range) keys.push(`file:${range.file}`);
  return [...keys, ...closesKeys(event)];
}

const later = (a: string | null, b: string) => (a === null || b > a ? b : a);
const earlier = (a: string | null, b: string) => (a === null || b < a ? b : a);

export function evolveCompleteness(doc: CompletenessDoc | undefined, event: StoredEvent, key: string): CompletenessDoc {
  const at = isoOf(event.capturedAt);
  if (key.startsWith('tool:')) {
    const id = key.slice('tool:'.length);
    const before = doc?.kind === 'tool' ? doc : { kind: 'tool' as const, toolUseId: id, sessionId: event.sessionId, name: null, at, seen: {}, expected: 3, present: 0, open: 3 };
    const seen = { ...before.seen };
    let name = before.name;
    for (const source of toolSources(event).filter((s) => s.id === id)) {
      seen[source.source] = Math.min(seen[source.source] ?? event.position, event.position);
      name ??= source.name ?? null;
    }
    const present = (seen.line !== undefined ? 1 : 0) + (seen.pre !== undefined ? 1 : 0) + (seen.post !== undefined || seen.denied !== undefined ? 1 : 0);
    const first = event.position < Math.min(...Object.values(before.seen), Number.MAX_SAFE_INTEGER);
    return { ...before, name, seen, at: first ? at : before.at, sessionId: first ? event.sessionId : before.sessionId, present, open: 3 - present };
  }
  if (key.startsWith('prompt:')) {
    const before = doc?.kind === 'prompt' ? doc : { kind: 'prompt' as const, sessionId: event.sessionId, text: '', at, hooks: 0, lines: 0, position: event.position, expected: 0, present: 0, open: 0 };
    const fromHook = hookPrompt(event);
    const text = fromHook ?? linePrompt(event) ?? '';
    const hooks = before.hooks + (fromHook !== undefined ? 1 : 0);
    const lines = before.lines + (fromHook === undefined ? 1 : 0);
    const first = event.position < before.position;
    return {
      ...before, text: before.text || text.slice(0, 200), hooks, lines, at: first || !doc ? at : before.at, position: Math.min(before.position, event.position),
      expected: 2 * Math.max(hooks, lines), present: hooks + lines, open: Math.abs(hooks - lines),
    };
  }
  if (key.startsWith('file:')) {
    const range = lineRange(event)!;
    const before = doc?.kind === 'file' ? doc : { kind: 'file' as const, sessionId: event.sessionId, file: range.file, path: range.path, ranges: [], lines: 0, expected: 0, present: 0, open: 0 };
    const ranges = addRange(before.ranges, { start: range.start, end: range.end, since: isoOf(event.receivedAt), position: event.position });
    const lines = before.lines + 1;
    const missing = holes(ranges).length;
    return { ...before, ranges, lines, expected: lines + missing, present: lines, open: missing };
  }
  if (key.startsWith('turn:')) return evolveTurn(doc?.kind === 'turn' ? doc : undefined, event);
  if (key.startsWith('agent:')) return evolveAgent(doc?.kind === 'agent' ? doc : undefined, event);
  return evolveSession(doc?.kind === 'session' ? doc : undefined, event, at);
}

function evolveSession(doc: SessionCheck | undefined, event: StoredEvent, at: string): SessionCheck {
  const before: SessionCheck = doc ?? {
    kind: 'session', sessionId: event.sessionId, hookTypes: {}, firstHookAt: null, lastHookAt: null, lastLineAt: null, lines: 0,
    retried: 0, maxAttempt: 0, late: 0, maxDelayMs: 0, host: null, expected: 0, present: 0, open: 0,
  };
  if (isTranscript(event)) {
    const next = { ...before, lines: before.lines + 1, lastLineAt: later(before.lastLineAt, at) };
    return withStart(next);
  }
  const attempt = nonNegative(event.client?.attempt) ?? 0;
  const delay = Math.max(0, event.receivedAt.getTime() - event.capturedAt.getTime());
  const next: SessionCheck = {
    ...before,
    hookTypes: { ...before.hookTypes, [event.type]: (before.hookTypes[event.type] ?? 0) + 1 },
    firstHookAt: earlier(before.firstHookAt, at),
    lastHookAt: later(before.lastHookAt, at),
    retried: before.retried + (attempt > 0 ? 1 : 0),
    maxAttempt: Math.max(before.maxAttempt, attempt),
    late: before.late + (delay > LATE_MS ? 1 : 0),
    maxDelayMs: Math.max(before.maxDelayMs ?? 0, delay),
    host: before.host ?? nonEmptyString(event.client?.host),
  };
  return withStart(next);
}

/** A SessionStart expects the session's transcript lines. */
function withStart(s: SessionCheck): SessionCheck {
  const expected = s.hookTypes.SessionStart ? 1 : 0;
  const present = expected && s.lines > 0 ? 1 : 0;
  return { ...s, expected, present, open: expected - present };
}
