import { z } from 'zod';
import { canonicalJson, sha256 } from './canonical.js';
import type { NewEvent } from './events.js';
import { isSessionId, parseObjectLine, plausibleTime } from './json-line.js';
import { mayNeedSanitising, toStorable } from './storable.js';

/**
 * The capture hook's own log (one JSON line per run or delivery, in CLAUDE_HOOK_LOG_DIR)
 * reaches the server through `POST /api/hook-logs`, each line an event of its own. A line's
 * identity is its host, log file and byte offset, so a batch resent after a lost answer is
 * stored once, and its content hash covers the exact text.
 */
export const HOOK_LOG_TYPE = 'hook.log';

const noControlChars = /^[^\u0000-\u001f\u007f]*$/;
const label = (max: number) => z.string().min(1).max(max).regex(noControlChars, 'must not contain control characters');

export const MAX_HOOK_LOG_LINES = 1000;
export const MAX_HOOK_LOG_LINE_CHARS = 256 * 1024;

export const hookLogBatchSchema = z.object({
  host: label(255),
  hookVersion: z.string().max(64).regex(noControlChars, 'must not contain control characters').optional(),
  /** The log file's path on the host. */
  file: label(4096),
  lines: z
    .array(z.object({ offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), line: z.string().max(MAX_HOOK_LOG_LINE_CHARS) }))
    .min(1)
    .max(MAX_HOOK_LOG_LINES),
});

export type HookLogBatch = z.infer<typeof hookLogBatchSchema>;

export function hookLogRequestId(host: string, file: string, offset: number): string {
  return `hl_${sha256(canonicalJson({ host, file, offset })).toString('base64url')}`;
}

/**
 * One log line as an event. It belongs to the session it is about, else to `hook:<host>`;
 * `client` stays null: a log line is not a delivery, and hook health counts deliveries.
 */
export function hookLogLineEvent(batch: Omit<HookLogBatch, 'lines'>, { offset, line }: { offset: number; line: string }, receivedAt: Date): NewEvent {
  const { host, hookVersion, file } = batch;
  const parsed = parseObjectLine(line);
  const where = { host, hookVersion: hookVersion ?? null, file, offset };
  const body = 'value' in parsed ? { ...where, line: parsed.value } : { ...where, raw: line, error: parsed.error };
  const fields = 'value' in parsed ? parsed.value : {};
  const storable = toStorable(body, '$', mayNeedSanitising(line));
  return {
    requestId: hookLogRequestId(host, file, offset),
    contentHash: sha256(canonicalJson({ host, file, offset, line })),
    type: HOOK_LOG_TYPE,
    sessionId: isSessionId(fields.sessionId) ? fields.sessionId : `hook:${host}`,
    capturedAt: plausibleTime(fields.time) ?? receivedAt.toISOString(),
    client: null,
    payload: storable.value,
    payloadJson: storable.exactJson,
  };
}

/** Blank lines carry nothing: they are skipped. */
export function hookLogEvents(batch: HookLogBatch, receivedAt: Date): NewEvent[] {
  return batch.lines.filter(({ line }) => line.trim() !== '').map((entry) => hookLogLineEvent(batch, entry, receivedAt));
}
