import type { ClientInfo } from './envelope.js';

/** An event ready to be appended: identity, content hash and the storable payload. */
export interface NewEvent {
  requestId: string;
  /** sha256 of the event's content; a requestId seen again with another hash is a conflict. */
  contentHash: Buffer;
  type: string;
  sessionId: string;
  capturedAt: string;
  client: ClientInfo | null;
  payload: unknown;
  /** Exact JSON text when `payload` had characters jsonb cannot hold (see storable.ts). */
  payloadJson: string | null;
  /**
   * `payload` as JSON text (in any key order), when the caller has it at hand: sent to the
   * database as it is rather than serialised again. Only for a payload stored unchanged.
   */
  payloadText?: string;
}

export interface StoredEvent {
  position: number;
  transactionId: string;
  requestId: string;
  type: string;
  sessionId: string;
  capturedAt: Date;
  receivedAt: Date;
  client: ClientInfo | null;
  payload: unknown;
  payloadJson: string | null;
}

export type AppendOutcome =
  | { requestId: string; position: number; status: 'stored' }
  | { requestId: string; position: number; status: 'duplicate' }
  | { requestId: string; position: number; status: 'conflict' };

/** Transcript lines become events of their own under this type prefix, e.g. `transcript.assistant`. */
export const TRANSCRIPT_TYPE_PREFIX = 'transcript.';
