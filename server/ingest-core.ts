import { envelopeSchema, MAX_TRANSCRIPT_LINES, type Envelope } from '../core/envelope.js';
import { envelopeEvents } from '../core/envelope-events.js';
import { BadRequestError, ConflictError, PayloadTooLargeError, type FieldIssue } from '../core/errors.js';
import type { AppendOutcome, NewEvent } from '../core/events.js';
import type { Appender } from '../core/group-commit.js';
import { assertDepth, assertFinite, mayNeedSanitising, NotFiniteError, TooDeepError } from '../core/storable.js';
import { countAppended } from './ingest-metrics.js';
import type { Metrics } from './metrics.js';
import { parseJson } from './read-body.js';

/**
 * The ingest endpoints' work once the body is read and the key checked, shared by the Hono
 * routes (server/routes/ingest.ts) and nothing else: what a request stores and answers is
 * decided here only.
 */
export interface IngestCoreDeps {
  appender: Appender;
  metrics: Metrics;
}

/** Most envelopes in one batch request; a bigger batch is refused whole (413). */
export const MAX_BATCH_ENVELOPES = 1000;
/** Most events (hook events and transcript lines) one batch may hold in memory until its commit. */
export const MAX_BATCH_EVENTS = MAX_TRANSCRIPT_LINES + MAX_BATCH_ENVELOPES;

/** A checked envelope, or throws BadRequestError naming each offending field. */
export function checkEnvelope(json: unknown): Envelope {
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
    throw new BadRequestError(`invalid envelope: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  try {
    assertDepth(parsed.data.payload, 'payload');
    // client is free-form too, and serialising it for the database recurses.
    assertDepth(parsed.data.client, 'client');
    assertFinite(parsed.data.payload, 'payload');
  } catch (error) {
    if (error instanceof TooDeepError || error instanceof NotFiniteError) throw new BadRequestError(error.message, [{ path: error.path, message: error.message }]);
    throw error;
  }
  return parsed.data;
}

export interface IngestAnswer {
  status: number;
  body: Record<string, unknown>;
}

function answerOf(main: AppendOutcome, lines: readonly AppendOutcome[]): Record<string, unknown> {
  const body: Record<string, unknown> = { requestId: main.requestId, position: main.position, duplicate: main.status === 'duplicate' };
  if (lines.length > 0) {
    const stored = lines.filter((l) => l.status === 'stored').length;
    body.transcript = { lines: lines.length, stored, duplicates: lines.length - stored };
  }
  return body;
}

const conflictMessage = (requestId: string) => `requestId ${requestId} was already stored with different content`;

async function append(deps: IngestCoreDeps, events: NewEvent[], bytes: number): Promise<AppendOutcome[]> {
  const timer = deps.metrics.appendSeconds.startTimer();
  const outcomes = await deps.appender.append(events, bytes).finally(timer);
  countAppended(deps.metrics, events, outcomes);
  return outcomes;
}

/** `POST /api/claude-hooks`: 201 stored, 200 duplicate; throws for 400 and 409. Answers only after the commit. */
export async function ingestOne(deps: IngestCoreDeps, text: string, logFields: Record<string, unknown>): Promise<IngestAnswer> {
  const envelope = checkEnvelope(parseJson(text));
  // Known before the append, so a request the database fails is still counted as the retry it was.
  logFields.attempt = envelope.client?.attempt;
  const events = envelopeEvents(envelope, { bodyText: text });
  const [main, ...lines] = await append(deps, events, text.length);
  const { requestId, position, status } = main!;
  Object.assign(logFields, { eventRequestId: requestId, event: envelope.event, position, outcome: status });
  if (status === 'conflict') throw new ConflictError(conflictMessage(requestId), { requestId, position });
  return { status: status === 'stored' ? 201 : 200, body: answerOf(main!, lines) };
}

export interface BatchItemResult {
  /** The envelope's requestId, or null when it named none that could be read. */
  requestId: string | null;
  /** What `POST /api/claude-hooks` would have answered for this envelope alone: 201, 200, 400 or 409. */
  status: number;
  [field: string]: unknown;
}

export interface BatchAnswer extends IngestAnswer {
  results: BatchItemResult[];
  /** Each envelope's client.attempt, for the delivery metrics. */
  attempts: unknown[];
}

/**
 * `POST /api/claude-hooks/batch`: `{"envelopes":[...]}`. Each envelope is checked on its own;
 * the valid ones are appended together, in one commit, before the answer
 * (`{results:[...]}` in the order sent). A refused envelope does not hold back the others.
 */
export async function ingestBatch(deps: IngestCoreDeps, text: string, logFields: Record<string, unknown>): Promise<BatchAnswer> {
  const json = parseJson(text);
  const list = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as { envelopes?: unknown }).envelopes : undefined;
  if (!Array.isArray(list)) {
    throw new BadRequestError('invalid batch: expected {"envelopes": [envelope, ...]}', [{ path: 'envelopes', message: 'expected an array of envelopes' }]);
  }
  if (list.length > MAX_BATCH_ENVELOPES) throw new PayloadTooLargeErrorWith(`a batch holds at most ${MAX_BATCH_ENVELOPES} envelopes, got ${list.length}`);
  const results: BatchItemResult[] = new Array(list.length);
  const attempts: unknown[] = new Array(list.length);
  const accepted: Array<{ index: number; envelope: Envelope; from: number; count: number }> = [];
  const events: NewEvent[] = [];
  // One scan of the whole text says whether any envelope in it may need sanitising (see core/storable.ts).
  const suspicious = mayNeedSanitising(text);
  for (let i = 0; i < list.length; i++) {
    const item = list[i] as { requestId?: unknown } | null;
    const requestId = item !== null && typeof item === 'object' && typeof item.requestId === 'string' ? item.requestId : null;
    attempts[i] = (item as { client?: { attempt?: unknown } } | null)?.client?.attempt;
    try {
      const envelope = checkEnvelope(item);
      const own = envelopeEvents(envelope, { suspicious });
      accepted.push({ index: i, envelope, from: events.length, count: own.length });
      for (const event of own) events.push(event);
      if (events.length > MAX_BATCH_EVENTS) throw new PayloadTooLargeErrorWith(`a batch holds at most ${MAX_BATCH_EVENTS} events (envelopes and transcript lines); send fewer envelopes per batch`);
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      results[i] = { requestId, status: 400, error: error.code, message: error.message, issues: error.details as FieldIssue[] | undefined };
    }
  }
  logFields.envelopes = list.length;
  const outcomes = events.length > 0 ? await append(deps, events, text.length) : [];
  let stored = 0;
  let duplicates = 0;
  let conflicts = 0;
  for (const { index, from, count } of accepted) {
    const [main, ...lines] = outcomes.slice(from, from + count);
    if (main!.status === 'conflict') {
      conflicts++;
      results[index] = { requestId: main!.requestId, status: 409, error: 'conflict', message: conflictMessage(main!.requestId), position: main!.position };
    } else {
      if (main!.status === 'stored') stored++;
      else duplicates++;
      results[index] = { status: main!.status === 'stored' ? 201 : 200, ...answerOf(main!, lines) } as BatchItemResult;
    }
  }
  Object.assign(logFields, { envelopes: list.length, stored, duplicates, conflicts, invalid: list.length - accepted.length });
  return { status: 200, body: { results }, results, attempts };
}

class PayloadTooLargeErrorWith extends PayloadTooLargeError {
  constructor(message: string) {
    super(0);
    this.message = message;
  }
}
