import { z } from 'zod';
import { ADMIN_TYPE_PREFIX } from './admin-events.js';

/**
 * The ingest envelope of the public contract (`POST /api/claude-hooks`). It is the single
 * source of the envelope's types. Unknown hook events and unknown payload fields are kept:
 * Claude Code adds events and fields release by release.
 */
const noControlChars = /^[^\u0000-\u001f\u007f]*$/;

const label = (max: number) =>
  z.string().min(1).max(max).regex(noControlChars, 'must not contain control characters');

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
  capturedAt: z.iso.datetime({ offset: true }),
  payload: z.custom<unknown>((value) => value !== undefined, 'required'),
  transcript: z.array(transcriptChunkSchema).optional(),
  client: clientSchema.optional(),
});

export type Envelope = z.infer<typeof envelopeSchema>;
export type TranscriptChunk = z.infer<typeof transcriptChunkSchema>;
export type ClientInfo = z.infer<typeof clientSchema>;
