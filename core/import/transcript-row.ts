import { transcriptLineEvent, type LineContext } from '../transcript-line.js';

/**
 * A transcript line as the import appends it: the event transcriptLineEvent makes of it, with
 * the payload already written as JSON text. A batch then holds a few strings per line instead
 * of the parsed tree, which the young generation collects at once (a tree waiting behind a
 * transaction gets promoted, and the old generation grows), and the driver has nothing left
 * to serialise.
 */
export interface TranscriptRow {
  requestId: string;
  contentHash: Buffer;
  type: string;
  sessionId: string;
  capturedAt: string;
  /** Set when the line had no time of its own and took the one it was given (LineContext.timeEstimated). */
  timeEstimated?: true;
  /** The payload's JSON text: the same jsonb as the event's payload object. Never holds a line feed. */
  payload: string;
  payloadJson: string | null;
  /** Why the line is stored raw: not JSON, or not an object. */
  error?: string;
  /** Where the line is, for notes. */
  path: string;
  offset: number;
}

const numberToken = /[:,[]\s*(-?\d[\d.eE+-]*)/g;
const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * Whether every number in the text is written as JSON.stringify writes it back. Otherwise
 * (1.0, 1e3, -0, integers past 2^53) the parsed value is not the one jsonb would read from the
 * text, so the text cannot stand for it. A number follows a `:`, `,` or `[`; a match inside a
 * string is only a false alarm, except after a digit's colon (a key's follows a quote or a
 * space), which is every timestamp's minutes and seconds, and skipped.
 */
function numbersAsWritten(text: string): boolean {
  numberToken.lastIndex = 0;
  for (let match = numberToken.exec(text); match !== null; match = numberToken.exec(text)) {
    if (text[match.index] === ':' && isDigit(text.charCodeAt(match.index - 1))) continue;
    if (String(Number(match[1])) !== match[1]) return false;
  }
  return true;
}

/**
 * `ownText` only where the database is UTF-8: elsewhere jsonb refuses the \u escapes of
 * non-ASCII characters a line may hold, which the serialised payload sends as characters.
 */
export function transcriptLineRow(line: string, context: LineContext, { ownText = true } = {}): TranscriptRow {
  const event = transcriptLineEvent(line, context);
  const body = event.payload as { path: string; file: string; offset: number; bytes: number; timeEstimated?: true; line?: unknown; error?: string };
  // The line's own text stands for its parsed value whenever jsonb reads both alike: it keeps
  // no whitespace, escape forms or key order, and the last of repeated keys as JSON.parse
  // does; strings are alike unless sanitising changed them (then payloadJson is set), numbers
  // when written as JSON.stringify writes them. That saves serialising every line again. Raw
  // lines hold no line feed, and JSON.stringify writes none.
  const payload = ownText && 'line' in body && event.payloadJson === null && numbersAsWritten(line)
    ? `{"path":${JSON.stringify(body.path)},"file":${JSON.stringify(body.file)},"offset":${body.offset},"bytes":${body.bytes},${body.timeEstimated ? '"timeEstimated":true,' : ''}"line":${line}}`
    : JSON.stringify(event.payload);
  return {
    requestId: event.requestId,
    contentHash: event.contentHash,
    type: event.type,
    sessionId: event.sessionId,
    capturedAt: event.capturedAt,
    ...(body.timeEstimated ? { timeEstimated: true as const } : {}),
    payload,
    payloadJson: event.payloadJson,
    error: body.error,
    path: context.path,
    offset: context.offset,
  };
}
