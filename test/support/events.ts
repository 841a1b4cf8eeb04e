import { randomUUID } from 'node:crypto';
import type { Envelope } from '../../core/envelope.js';
import { envelopeEvents } from '../../core/envelope-events.js';
import type { NewEvent } from '../../core/events.js';

/** Envelopes written from the contract, not copied from real captures. */
export function envelope(overrides: Partial<Envelope> = {}): Envelope {
  const sessionId = overrides.sessionId ?? randomUUID();
  return {
    requestId: randomUUID(),
    event: 'UserPromptSubmit',
    sessionId,
    capturedAt: '2026-11-25T10:00:00.000Z',
    payload: {
      session_id: sessionId,
      hook_event_name: 'UserPromptSubmit',
      transcript_path: `/home/dev/.claude/projects/-home-dev-app/${sessionId}.jsonl`,
      cwd: '/home/dev/app',
      prompt: 'Explain the failing test',
    },
    client: { host: 'devbox', hookVersion: '1.0.0', attempt: 1 },
    ...overrides,
  };
}

export function hookEvent(overrides: Partial<Envelope> = {}): NewEvent {
  return envelopeEvents(envelope(overrides))[0]!;
}
