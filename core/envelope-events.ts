import { canonicalJson, sha256 } from './canonical.js';
import type { ClientInfo, Envelope } from './envelope.js';
import type { NewEvent } from './events.js';
import { mayNeedSanitising, toStorable } from './storable.js';
import { lineOffsets, transcriptLineEvent } from './transcript-line.js';

/**
 * One envelope becomes the hook event itself plus one event per transcript line. The hook
 * event's hash covers event, sessionId, capturedAt and payload but not `client`, which
 * changes between retries of the same event.
 */
export function envelopeEvents(
  envelope: Envelope,
  // `suspicious` false (the body text it came from is certainly storable, see storable.ts) skips the sanitising walk.
  { bodyText, suspicious = bodyText === undefined || mayNeedSanitising(bodyText) }: { bodyText?: string; suspicious?: boolean } = {},
): NewEvent[] {
  const { requestId, event, sessionId, capturedAt, payload } = envelope;
  const storable = toStorable(payload, '$.payload', suspicious);
  // contentHash({ event, sessionId, capturedAt, payload }) spelled out (keys in sorted order), so that
  // the payload's canonical JSON, computed for the hash, is also the text the database receives.
  const payloadText = canonicalJson(payload);
  const hookEvent: NewEvent = {
    requestId,
    contentHash: sha256(`{"capturedAt":${JSON.stringify(capturedAt)},"event":${JSON.stringify(event)},"payload":${payloadText},"sessionId":${JSON.stringify(sessionId)}}`),
    type: event,
    sessionId,
    capturedAt,
    // Diagnostics only, outside the hash: characters jsonb cannot hold are replaced rather than refusing the event.
    client: envelope.client ? (toStorable(envelope.client, '$.client').value as ClientInfo) : null,
    payload: storable.value,
    payloadJson: storable.exactJson,
    ...(storable.value === payload && { payloadText }),
  };
  // Blank lines carry nothing; they still count towards the offsets of the lines after them.
  const host = hookEvent.client?.host;
  const lines = (envelope.transcript ?? []).flatMap((chunk) =>
    lineOffsets(chunk.offset, chunk.lines).flatMap((offset, i) => {
      const line = chunk.lines[i]!;
      return line.trim() === '' ? [] : [transcriptLineEvent(line, { path: chunk.path, offset, sessionId, capturedAt, host })];
    }),
  );
  return [hookEvent, ...lines];
}
