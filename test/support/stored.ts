import type { StoredEvent } from '../../core/events.js';

let position = 0;

/** A stored event as projections receive it, for given/when/then tests of evolve. */
export function stored(type: string, payload: unknown, overrides: Partial<StoredEvent> = {}): StoredEvent {
  position += 1;
  return {
    position,
    transactionId: String(1000 + position),
    requestId: `req-${position}-${type}`,
    type,
    sessionId: (payload as { session_id?: string })?.session_id ?? 'session-1',
    capturedAt: new Date(Date.UTC(2026, 10, 25, 10, 0, position)),
    receivedAt: new Date(Date.UTC(2026, 10, 25, 10, 0, position)),
    client: { host: 'devbox' },
    payload,
    payloadJson: null,
    ...overrides,
  };
}

/** A transcript line event, as the ingest endpoint derives it from a shipped line. */
export function transcriptLine(line: Record<string, unknown>, overrides: Partial<StoredEvent> = {}): StoredEvent {
  const type = typeof line.type === 'string' ? line.type : 'unparsed';
  return stored(`transcript.${type}`, { path: '/p/s.jsonl', file: 's.jsonl', offset: 0, line }, {
    sessionId: typeof line.sessionId === 'string' ? line.sessionId : 'session-1',
    client: null,
    ...overrides,
  });
}
