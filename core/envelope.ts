import { z } from 'zod';
import { ADMIN_TYPE_PREFIX } from './admin-events.js';

/**
 * The ingest envelope of the public contract (`POST /api/claude-hooks`). It is the single
 * source of the envelope's types. Unknown hook events and unknown payload fields are kept:
 * Claude Code adds events and fields release by release.
 */
const noControlChars = /^[^\u0000-\u001f\u007f]*$/;

// Postgres text would silently turn a lone surrogate into U+FFFD, and a name must read back as sent.
const label = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(noControlChars, 'must not contain control characters')
    .refine((text) => text.isWellFormed(), 'must not contain lone surrogates');

// The instant, offset applied, within the years a clock can plausibly say (as for transcript lines): Postgres
// has no year 0, the API writes four-digit years, and postgres.js reads a year below 100 as 19xx or 20xx.
// (Text that is no date at all has its issue from z.iso.datetime already.)
const instantInRange = (text: string) => {
  const year = new Date(text).getUTCFullYear();
  return Number.isNaN(year) || (year >= 1970 && year <= 9999);
};

/**
 * Lines in one envelope, over all its chunks: each becomes an event held in memory until the
 * append commits. The hook's 4 MiB chunks stay below it unless their lines average under 84 bytes.
 */
export const MAX_TRANSCRIPT_LINES = 50_000;

export const transcriptChunkSchema = z.object({
  path: label(4096),
  offset: z.number().int().min(0),
  lines: z.array(z.string()),
});

export const clientSchema = z.looseObject({
  host: z.string().max(255).optional(),
  hookVersion: z.string().max(64).optional(),
  attempt: z.number().int().min(0).optional(),
});

export const envelopeSchema = z.object({
  requestId: z
    .string()
    .min(8)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  // Arrakis records its own events (admin requests) under this prefix; a client must not forge one.
  event: label(128).refine((name) => !name.startsWith(ADMIN_TYPE_PREFIX), `the ${ADMIN_TYPE_PREFIX} prefix is reserved for Arrakis' own events`),
  sessionId: label(256),
  capturedAt: z.iso.datetime({ offset: true }).refine(instantInRange, 'must lie between the years 1970 and 9999 (UTC)'),
  payload: z.custom<unknown>((value) => value !== undefined, 'required'),
  transcript: z
    .array(transcriptChunkSchema)
    .refine((chunks) => chunks.reduce((n, chunk) => n + chunk.lines.length, 0) <= MAX_TRANSCRIPT_LINES, `at most ${MAX_TRANSCRIPT_LINES} lines per envelope`)
    .optional(),
  client: clientSchema.optional(),
});

export type Envelope = z.infer<typeof envelopeSchema>;
export type TranscriptChunk = z.infer<typeof transcriptChunkSchema>;
export type ClientInfo = z.infer<typeof clientSchema>;
