import type { Message, MessageKind, MessageStatus, Patch } from './index.js';
import { earliest } from './events.js';

/** What every patch of one event shares. */
export type PatchBase = Pick<Patch, 'sessionId' | 'at' | 'agentId'>;

/**
 * On Node 20 an object made by spreading (`{ ...base, kind }`) takes microseconds for each
 * property added to it afterwards, and a rebuild makes several per event: patches and
 * documents are built with Object.assign onto a literal instead.
 */
export const patchOf = (base: PatchBase, kind: MessageKind, fields: Partial<Patch>): Patch =>
  Object.assign({ kind, sessionId: base.sessionId, at: base.at, agentId: base.agentId }, fields);

/**
 * Folding what an event says into a message so that the order of events does not matter:
 * times take the earliest, status the strongest, a hook's values replace the transcript's copy
 * (the hook saw the tool's structured result and the prompt as submitted), and otherwise the
 * first value of a field stays (the sources agree on it).
 */
export function mergeMessage(doc: Message | undefined, patch: Patch, position: number, fromHook: boolean): Message {
  const clipped = clip(patch);
  const incoming = clipped.value as Patch;
  const base: Message = doc ?? { kind: incoming.kind, sessionId: incoming.sessionId, at: incoming.at, sources: [] };
  const next: Message = Object.assign({}, base);
  const fields = next as unknown as Record<string, unknown>;
  const given = incoming as unknown as Record<string, unknown>;
  // for-in, not Object.entries: no array of pairs per event. Patches are plain object literals.
  for (const field in given) {
    const value = given[field];
    if (value !== undefined && (fromHook || fields[field] === undefined)) fields[field] = value;
  }
  next.at = earliest(base.at, incoming.at)!;
  next.sources = withPosition(base.sources, position);
  next.status = strongest(base.status, incoming.status);
  if (clipped.cut || base.truncated) next.truncated = true;
  if (next.kind === 'tool') settleTool(next, base.timing, incoming.timing);
  if (next.status === undefined) delete next.status;
  return next;
}

/** Events mostly arrive in log order: appending then needs no sort. */
function withPosition(sources: number[], position: number): number[] {
  const last = sources.length === 0 ? -Infinity : sources[sources.length - 1]!;
  if (position > last) return [...sources, position];
  return sources.includes(position) ? sources : [...sources, position].sort((a, b) => a - b);
}

const strength: Record<MessageStatus, number> = { running: 0, ok: 1, failed: 2 };

function strongest(a: MessageStatus | undefined, b: MessageStatus | undefined): MessageStatus | undefined {
  if (!a || !b) return a ?? b;
  return strength[b] > strength[a] ? b : a;
}

type Timing = NonNullable<Message['timing']>;

const span = (from: string | undefined, to: string | undefined): number | undefined =>
  from && to ? Math.max(0, Date.parse(to) - Date.parse(from)) : undefined;

/** Claude Code's own `duration_ms` wins; else hook to hook, else transcript line to line. */
function settleTool(next: Message, before: Timing | undefined, seen: Timing | undefined): void {
  const timing: Timing = Object.assign({}, before);
  for (const field of ['pre', 'post', 'use', 'result'] as const) {
    const at = earliest(before?.[field], seen?.[field]);
    if (at) timing[field] = at;
  }
  if (timing.reportedMs === undefined && seen?.reportedMs !== undefined) timing.reportedMs = seen.reportedMs;
  next.timing = timing;
  const startedAt = earliest(timing.pre, timing.use);
  const endedAt = earliest(timing.post, timing.result);
  if (startedAt) next.startedAt = startedAt;
  if (endedAt) next.endedAt = endedAt;
  const duration = timing.reportedMs ?? span(timing.pre, timing.post) ?? span(timing.use, timing.result);
  if (duration !== undefined) next.durationMs = duration;
}

const MAX_STRING = 64 * 1024;

/** Whether anything inside is longer than the cut: most events have nothing to cut, and then no copy is made. */
function needsCut(value: unknown): boolean {
  if (typeof value === 'string') return value.length > MAX_STRING;
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(needsCut);
  for (const key in value) if (needsCut((value as Record<string, unknown>)[key])) return true;
  return false;
}

/** Large tool outputs are cut in the document only; the structure around them is kept. */
function clip(value: unknown): { value: unknown; cut: boolean } {
  return needsCut(value) ? { value: cutLong(value), cut: true } : { value, cut: false };
}

function cutLong(value: unknown): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? value.slice(0, MAX_STRING).toWellFormed() : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cutLong);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cutLong(item)]));
}
