import { contentHash } from './canonical.js';
import type { Envelope } from './envelope.js';
import type { NewEvent } from './events.js';
import { mayNeedSanitising, toStorable } from './storable.js';
import { lineOffsets, transcriptLineEvent } from './transcript-line.js';

/**
 * One envelope becomes the hook event itself plus one event per transcript line. The hook
 * event's hash covers event, sessionId, capturedAt and payload but not `client`, which
 * changes between retries of the same event.
 */
export function envelopeEvents(envelope: Envelope, { bodyText }: { bodyText?: string } = {}): NewEvent[] {
  const { requestId, event, sessionId, capturedAt, payload } = envelope;
  const storable = toStorable(payload, '$.payload', bodyText === undefined || mayNeedSanitising(bodyText));
  const hookEvent: NewEvent = {
    requestId,
    contentHash: contentHash({ event, sessionId, capturedAt, payload }),
    type: event,
    sessionId,
    capturedAt,
    client: envelope.client ?? null,
    payload: storable.value,
    payloadJson: storable.exactJson,
  };
  const lines = (envelope.transcript ?? []).flatMap((chunk) =>
    lineOffsets(chunk.offset, chunk.lines).map((offset, i) =>
      transcriptLineEvent(chunk.lines[i]!, { path: chunk.path, offset, sessionId, capturedAt }),
    ),
  );
  return [hookEvent, ...lines];
}
