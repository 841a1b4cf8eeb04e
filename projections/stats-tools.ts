import type { StoredEvent } from '../core/events.js';
import { asRecord, nonEmptyString, nonNegative } from './stats-json.js';

/** Totals of one tool, as the stats query adds them up. */
export interface ToolTotals {
  name: string;
  uses: number;
  ok: number;
  failed: number;
  duration: { count: number; sumMs: number; maxMs: number };
}

/**
 * `tool:<sessionId>:<name>`: hook payloads without tool_use_id (before Claude Code 2.0.43),
 * which cannot be paired with each other nor with transcript lines, counted as they always
 * were: a PreToolUse is a use, a PostToolUse(Failure) an outcome. Uses with an id are
 * documents of their own (stats-tool-uses.ts). Per session, because the transcript of such a
 * session tells of the same uses with ids: the query leaves these counts out for a tool the
 * session's tool use documents already count (stats-tool-queries.ts).
 */
export interface ToolDoc extends ToolTotals {
  kind: 'tool';
  sessionId: string;
}

const TOOL_EVENTS = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure']);

/** The tool of an id-less hook tool event, else null. */
export function toolName(event: StoredEvent): string | null {
  if (!TOOL_EVENTS.has(event.type)) return null;
  const payload = asRecord(event.payload);
  return nonEmptyString(payload.tool_use_id) === null ? nonEmptyString(payload.tool_name) : null;
}

export const toolKey = (event: StoredEvent, name: string): string => `tool:${event.sessionId}:${name}`;

/** Sums, so in any order; an id-less event delivered twice counts twice, as it always did. */
export function evolveTool(doc: ToolDoc | undefined, event: StoredEvent, name: string): ToolDoc {
  const before: ToolDoc = doc ?? { kind: 'tool', sessionId: event.sessionId, name, uses: 0, ok: 0, failed: 0, duration: { count: 0, sumMs: 0, maxMs: 0 } };
  if (event.type === 'PreToolUse') return { ...before, uses: before.uses + 1 };
  const ms = nonNegative(asRecord(event.payload).duration_ms);
  return {
    ...before,
    ok: before.ok + (event.type === 'PostToolUse' ? 1 : 0),
    failed: before.failed + (event.type === 'PostToolUseFailure' ? 1 : 0),
    duration:
      ms === null
        ? before.duration
        : { count: before.duration.count + 1, sumMs: before.duration.sumMs + ms, maxMs: Math.max(before.duration.maxMs, ms) },
  };
}
