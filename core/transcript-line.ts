import { canonicalJson, sha256 } from './canonical.js';
import { TRANSCRIPT_TYPE_PREFIX, type NewEvent } from './events.js';
import { assertDepth, mayNeedSanitising, toStorable } from './storable.js';

/**
 * A transcript line's identity is its file, its byte offset and its exact text. The hook
 * and `arrakis import` both derive the requestId from it, so a line shipped live, resent
 * after a timeout, or imported later from the same file is stored once.
 */

/**
 * Session ids are UUIDs, so `<session>.jsonl` (and `<session>/subagents/agent-<id>.jsonl`)
 * name a transcript wherever the projects folder lives: a backup or another home directory
 * gives the same key.
 */
export function transcriptFileKey(path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  const subagents = parts.lastIndexOf('subagents');
  if (subagents > 0 && subagents === parts.length - 2) return parts.slice(subagents - 1).join('/');
  return parts.at(-1) ?? path;
}

export function transcriptLineIdentity(fileKey: string, offset: number, line: string): Buffer {
  return sha256(canonicalJson({ file: fileKey, offset, line }));
}

export function transcriptLineRequestId(identity: Buffer): string {
  return `tl_${identity.toString('base64url')}`;
}

/** Byte offsets of each line, given the offset of the first and LF-terminated lines. */
export function lineOffsets(start: number, lines: readonly string[]): number[] {
  const offsets: number[] = [];
  let at = start;
  for (const line of lines) {
    offsets.push(at);
    at += Buffer.byteLength(line) + 1;
  }
  return offsets;
}

const typeName = /^[A-Za-z0-9_.-]{1,64}$/;
const sessionLike = /^[^\u0000-\u001f\u007f]{1,256}$/;
// A lone surrogate would reach the text column as U+FFFD: such a line keeps the envelope's session.
const isSessionId = (value: unknown): value is string => typeof value === 'string' && sessionLike.test(value) && value.isWellFormed();

function parseLine(line: string): { value: Record<string, unknown> } | { error: string } {
  try {
    const value: unknown = JSON.parse(line);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'not a JSON object' };
    assertDepth(value);
    return { value: value as Record<string, unknown> };
  } catch (error) {
    // V8 quotes the offending UTF-16 unit, half of an emoji maybe: jsonb would refuse the lone surrogate.
    return { error: (error as Error).message.toWellFormed() };
  }
}

/**
 * The line's own time, normalised, when it is a plausible one. Date.parse accepts forms and
 * years Postgres refuses, and a refused time would fail the whole envelope (its hook event
 * included), so anything odd falls back to the envelope's capturedAt; the line keeps it raw.
 */
function lineTime(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 64) return null;
  const time = new Date(value);
  const year = time.getUTCFullYear();
  return Number.isNaN(year) || year < 1970 || year > 9999 ? null : time.toISOString();
}

export interface LineContext {
  path: string;
  offset: number;
  /** Used when the line names no session of its own. */
  sessionId: string;
  /** Used when the line carries no timestamp of its own. */
  capturedAt: string;
}

export function transcriptLineEvent(line: string, context: LineContext): NewEvent {
  const file = transcriptFileKey(context.path);
  const identity = transcriptLineIdentity(file, context.offset, line);
  const parsed = parseLine(line);
  const where = { path: context.path, file, offset: context.offset };
  const body = 'value' in parsed ? { ...where, line: parsed.value } : { ...where, raw: line, error: parsed.error };
  const fields = 'value' in parsed ? parsed.value : {};
  const lineType = typeof fields.type === 'string' && typeName.test(fields.type) ? fields.type : 'unparsed';
  const storable = toStorable(body, '$', mayNeedSanitising(line));
  return {
    requestId: transcriptLineRequestId(identity),
    contentHash: identity,
    type: `${TRANSCRIPT_TYPE_PREFIX}${lineType}`,
    sessionId: isSessionId(fields.sessionId) ? fields.sessionId : context.sessionId,
    capturedAt: lineTime(fields.timestamp) ?? context.capturedAt,
    client: null,
    payload: storable.value,
    payloadJson: storable.exactJson,
  };
}
