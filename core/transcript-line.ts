import { sha256 } from './canonical.js';
import { TRANSCRIPT_TYPE_PREFIX, type NewEvent } from './events.js';
import { isSessionId, parseObjectLine, plausibleTime } from './json-line.js';
import { mayNeedSanitising, toStorable } from './storable.js';

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

/**
 * sha256 of canonicalJson({ file, offset, line }), spelled out: the same bytes (keys in sorted
 * order, each value as JSON.stringify writes it) without the generic walk, which cost the
 * import as much as hashing the line.
 */
export function transcriptLineIdentity(fileKey: string, offset: number, line: string): Buffer {
  return sha256(`{"file":${JSON.stringify(fileKey)},"line":${JSON.stringify(line)},"offset":${JSON.stringify(offset)}}`);
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

export interface LineContext {
  path: string;
  offset: number;
  /** Used when the line names no session of its own. */
  sessionId: string;
  /** Used when the line carries no timestamp of its own. */
  capturedAt: string;
  /**
   * Whether `capturedAt` is a guess rather than when the line was read (the import's, from the
   * lines around it): a line without its own timestamp then says so in its payload,
   * `timeEstimated: true`. Outside the identity, so the requestId stays the hook's.
   */
  timeEstimated?: boolean;
  /** transcriptLineIdentity of this line, when the caller already has it (the import looks lines up by it first). */
  identity?: Buffer;
  /** The machine that read the line (usage by host), outside the identity like every event's client. */
  host?: string | null;
}

export function transcriptLineEvent(line: string, context: LineContext): NewEvent {
  const file = transcriptFileKey(context.path);
  const identity = context.identity ?? transcriptLineIdentity(file, context.offset, line);
  const parsed = parseObjectLine(line);
  const fields = 'value' in parsed ? parsed.value : {};
  const own = plausibleTime(fields.timestamp);
  // `bytes`: the line's length in the file, so the stored ranges of a file show what is missing (projections/completeness).
  const bytes = Buffer.byteLength(line);
  const where = own === null && context.timeEstimated
    ? { path: context.path, file, offset: context.offset, bytes, timeEstimated: true }
    : { path: context.path, file, offset: context.offset, bytes };
  const body = 'value' in parsed ? { ...where, line: parsed.value } : { ...where, raw: line, error: parsed.error };
  const lineType = typeof fields.type === 'string' && typeName.test(fields.type) ? fields.type : 'unparsed';
  const storable = toStorable(body, '$', mayNeedSanitising(line));
  return {
    requestId: transcriptLineRequestId(identity),
    contentHash: identity,
    type: `${TRANSCRIPT_TYPE_PREFIX}${lineType}`,
    sessionId: isSessionId(fields.sessionId) ? fields.sessionId : context.sessionId,
    capturedAt: own ?? context.capturedAt,
    client: context.host ? { host: context.host } : null,
    payload: storable.value,
    payloadJson: storable.exactJson,
  };
}
