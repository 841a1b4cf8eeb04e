import { Hono } from 'hono';
import { envelopeSchema } from '../../core/envelope.js';
import { envelopeEvents } from '../../core/envelope-events.js';
import { BadRequestError, ConflictError } from '../../core/errors.js';
import type { Appender } from '../../core/group-commit.js';
import { assertDepth, assertFinite, NotFiniteError, TooDeepError } from '../../core/storable.js';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import { countAppended, countIngest } from '../ingest-metrics.js';
import type { Keyring } from '../keyring.js';
import type { Metrics } from '../metrics.js';
import { parseJson, readJsonText } from '../read-body.js';

export interface IngestDeps {
  appender: Appender;
  keyring: Keyring;
  bodyLimitBytes: number;
  metrics: Metrics;
}

function parseEnvelope(text: string) {
  const json = parseJson(text);
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

/** `POST /api/claude-hooks`: the contract's ingest endpoint. 201 stored, 200 duplicate, 409 conflict. */
export function ingestRoutes({ appender, keyring, bodyLimitBytes, metrics }: IngestDeps) {
  return new Hono<AppEnv>().post('/api/claude-hooks', countIngest(metrics), requireScope(keyring, 'ingest'), async (c) => {
    const text = await readJsonText(c.req.raw, bodyLimitBytes);
    const envelope = parseEnvelope(text);
    c.get('logFields').attempt = envelope.client?.attempt;
    const events = envelopeEvents(envelope, { bodyText: text });
    const timer = metrics.appendSeconds.startTimer();
    const outcomes = await appender.append(events, text.length).finally(timer);
    countAppended(metrics, events, outcomes);
    const [main, ...lines] = outcomes;
    const { requestId, position, status } = main!;
    Object.assign(c.get('logFields'), { eventRequestId: requestId, event: envelope.event, position, outcome: status });
    if (status === 'conflict') {
      throw new ConflictError(`requestId ${requestId} was already stored with different content`, { requestId, position });
    }
    const body: Record<string, unknown> = { requestId, position, duplicate: status === 'duplicate' };
    if (lines.length > 0) {
      const stored = lines.filter((l) => l.status === 'stored').length;
      body.transcript = { lines: lines.length, stored, duplicates: lines.length - stored };
    }
    return c.json(body, status === 'stored' ? 201 : 200);
  });
}
