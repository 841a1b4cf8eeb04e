import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { contentHash } from './canonical.js';
import type { NewEvent } from './events.js';
import { SCOPES } from './keys.js';

/**
 * What admins ask for through the API is recorded in the log as events of its own, beside
 * the captured ones: the server may only append, so the projector (the owner of the tables)
 * acts on the request when it reads it, and the log keeps who asked and when. Ingest
 * refuses this type prefix, so only the server can write these.
 */
export const ADMIN_TYPE_PREFIX = 'arrakis.';
/** Not a Claude Code session: the session id under which Arrakis records its own events. */
export const ADMIN_SESSION_ID = 'arrakis';
export const REBUILD_REQUESTED = 'arrakis.rebuild_requested';
export const RETRY_REQUESTED = 'arrakis.retry_requested';

/** Captures are folded into projections; Arrakis' own records are not. */
export const isAdminEvent = (event: { type: string }): boolean => event.type.startsWith(ADMIN_TYPE_PREFIX);

const projectionName = z.string().regex(/^[a-z][a-z0-9_]{0,40}$/);

/**
 * Who asked: the scope, how it was proven (a bearer key or a login session) and a short
 * fingerprint of that credential (never the credential), and the HTTP request it came in.
 */
export const actorSchema = z.object({
  by: z.object({ scope: z.enum(SCOPES), via: z.enum(['key', 'session']), fingerprint: z.string().regex(/^[0-9a-f]{8}$/) }),
  requestId: z.string().min(1).max(128),
  remoteAddress: z.string().max(64).optional(),
  userAgent: z.string().max(512).optional(),
});
export type Actor = z.infer<typeof actorSchema>;

export const rebuildRequestedSchema = actorSchema.extend({ projection: projectionName, resume: z.boolean().optional() });
export const retryRequestedSchema = actorSchema.extend({
  projection: projectionName,
  parkedId: z.number().int().positive(),
  /** The log position of the parked event. */
  position: z.number().int().positive(),
});

const schemas = { [REBUILD_REQUESTED]: rebuildRequestedSchema, [RETRY_REQUESTED]: retryRequestedSchema };
type Schemas = typeof schemas;
export type AdminEventType = keyof Schemas;
export type AdminPayload<T extends AdminEventType> = z.infer<Schemas[T]>;

export interface AdminEventOptions {
  clock?: () => Date;
  newId?: () => string;
}

/**
 * The NewEvent for an admin request, hashed the way ingest hashes hook events. Each request
 * gets a fresh requestId: asking twice is two requests, not a retry of one.
 */
export function adminEvent<T extends AdminEventType>(
  type: T,
  payload: AdminPayload<T>,
  { clock = () => new Date(), newId = () => `admin_${randomUUID()}` }: AdminEventOptions = {},
): NewEvent {
  const checked = schemas[type].parse(payload);
  const capturedAt = clock().toISOString();
  return {
    requestId: newId(),
    contentHash: contentHash({ event: type, sessionId: ADMIN_SESSION_ID, capturedAt, payload: checked }),
    type,
    sessionId: ADMIN_SESSION_ID,
    capturedAt,
    client: null,
    payload: checked,
    payloadJson: null,
  };
}
