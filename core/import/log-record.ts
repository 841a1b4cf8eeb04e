import { z } from 'zod';

/**
 * The format of `arrakis export`: gzip-compressed JSONL, a header line then one record per
 * event in log order, (transaction_id, position). Each record keeps every column needed to
 * restore the event as it was, except its position: positions are assigned anew on import,
 * in the same order. jsonb columns travel as their exact text (never parsed on the way, so
 * numbers keep every digit) and times as text with microseconds.
 */
export const LOG_FORMAT = 'arrakis-log';
export const LOG_VERSION = 1;

export const logHeaderSchema = z.object({
  format: z.literal(LOG_FORMAT),
  version: z.literal(LOG_VERSION),
  exportedAt: z.string(),
  /** Only events captured before this instant, and at or after `since`, when the export was limited. */
  before: z.string().nullable(),
  since: z.string().nullable(),
});

export const logRecordSchema = z.object({
  /** Where the event was in the exporting database: for reference, not restored. */
  position: z.number().int(),
  requestId: z.string().min(8).max(128),
  contentHash: z.string().regex(/^(?:[0-9a-f]{2})+$/, 'must be lowercase hex'),
  type: z.string().min(1),
  sessionId: z.string(),
  capturedAt: z.string().min(1),
  receivedAt: z.string().min(1),
  /** jsonb text, or null. */
  client: z.string().nullable(),
  /** jsonb text. */
  payload: z.string().min(1),
  payloadJson: z.string().nullable(),
});

export type LogHeader = z.infer<typeof logHeaderSchema>;
export type LogRecord = z.infer<typeof logRecordSchema>;
