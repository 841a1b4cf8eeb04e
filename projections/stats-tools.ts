import type { StoredEvent } from '../core/events.js';
import { asRecord, nonEmptyString, nonNegative } from './stats-json.js';

/** `tool:<name>`: how often a tool was used, how its calls ended and how long they took. */
export interface ToolDoc {
  kind: 'tool';
  name: string;
  uses: number;
  ok: number;
  failed: number;
  /** Over the completions that reported `duration_ms` (Claude Code 2.1.119+). */
  duration: { count: number; sumMs: number; maxMs: number };
  /** The latest tool_use_ids seen and whether their completion was counted: see RECENT. */
  recent: { id: string; done: boolean }[];
}

/**
 * A use shows up as PreToolUse and PostToolUse(Failure), close together in the log, and
 * either may be missing (matchers, denials, interrupts) or arrive late or twice. Remembering
 * the last few ids per tool counts each once without the document growing with history.
 */
const RECENT = 100;

const TOOL_EVENTS = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure']);

export const toolName = (event: StoredEvent): string | null =>
  TOOL_EVENTS.has(event.type) ? nonEmptyString(asRecord(event.payload).tool_name) : null;

export function evolveTool(doc: ToolDoc | undefined, event: StoredEvent, name: string): ToolDoc {
  const payload = asRecord(event.payload);
  const before: ToolDoc = doc ?? { kind: 'tool', name, uses: 0, ok: 0, failed: 0, duration: { count: 0, sumMs: 0, maxMs: 0 }, recent: [] };
  const completion = event.type !== 'PreToolUse';
  const id = nonEmptyString(payload.tool_use_id);
  const seen = id === null ? undefined : before.recent.find((mark) => mark.id === id);
  // A repeat, or a PreToolUse arriving after its completion: already counted.
  if (seen && (seen.done || !completion)) return before;
  // Payloads before tool_use_id (2.0.43) cannot be paired: their PreToolUse alone counts the use.
  const newUse = seen === undefined && (id !== null || !completion);
  const uses = before.uses + (newUse ? 1 : 0);
  const recent = id === null ? before.recent : [...before.recent.filter((mark) => mark.id !== id), { id, done: completion }].slice(-RECENT);
  if (!completion) return { ...before, uses, recent };
  const ms = nonNegative(payload.duration_ms);
  return {
    ...before,
    uses,
    recent,
    ok: before.ok + (event.type === 'PostToolUse' ? 1 : 0),
    failed: before.failed + (event.type === 'PostToolUseFailure' ? 1 : 0),
    duration:
      ms === null
        ? before.duration
        : { count: before.duration.count + 1, sumMs: before.duration.sumMs + ms, maxMs: Math.max(before.duration.maxMs, ms) },
  };
}
