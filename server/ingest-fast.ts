import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ForbiddenError, UnauthorizedError } from '../core/errors.js';
import type { Appender } from '../core/group-commit.js';
import type { Logger } from '../core/log.js';
import { ingestBatch, ingestOne } from './ingest-core.js';
import { countDelivery } from './ingest-metrics.js';
import type { Keyring } from './keyring.js';
import type { Metrics } from './metrics.js';
import { errorAnswer } from './on-error.js';
import { readIncoming, readJsonBody } from './read-body.js';
import { acceptableRequestId } from './request-log.js';
import { bearer } from './auth.js';

/**
 * The ingest routes straight on node:http, beside the Hono app that serves everything else.
 * A hook's POST is the one request that comes by the thousand, and Hono's Node adapter,
 * web Request/Response objects and middleware chain cost about as much as the ingest work
 * itself. This path does exactly what the Hono routes (server/routes/ingest.ts) and the app's
 * middleware do for it: the same key check (in constant time), body limits and decoding,
 * ingest-core.ts for validation, storing and the answer, errors through on-error.ts's
 * errorAnswer, the app's security headers, X-Request-Id, the request log line and the
 * metrics. `server/ingest-fast.test.ts` sends every case to both and compares the answers.
 *
 * It takes only `POST /api/claude-hooks` and `POST /api/claude-hooks/batch` with an
 * Authorization header; anything else (a session cookie, other paths) goes to Hono.
 */
export interface FastIngestDeps {
  appender: Appender;
  keyring: Keyring;
  bodyLimitBytes: number;
  metrics: Metrics;
  logger: Logger;
  /** The headers the app's middleware (secureHeaders) sets on every answer, resolved once. */
  staticHeaders: Promise<Record<string, string>>;
}

/** Handles the request and returns true, or returns false and leaves it alone. */
export type FastHandler = (incoming: IncomingMessage, outgoing: ServerResponse) => boolean;

/** The fast handler of each app built by createApp, for listen() (server/http.ts). */
export const fastHandlers = new WeakMap<object, FastHandler>();

export function fastIngest(deps: FastIngestDeps): FastHandler {
  let headers: Record<string, string> | undefined;
  void deps.staticHeaders.then((h) => (headers = h));
  return (incoming, outgoing) => {
    // Until the security headers are known (the first tick after start), Hono answers.
    if (incoming.method !== 'POST' || headers === undefined) return false;
    const url = incoming.url ?? '';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (path !== '/api/claude-hooks' && path !== '/api/claude-hooks/batch') return false;
    const authorization = rawHeader(incoming, 'authorization');
    if (authorization === undefined) return false;
    void handle(deps, headers, incoming, outgoing, path, authorization);
    return true;
  };
}

/**
 * A request header as the web Headers that Hono reads give it (repeats joined with ", "),
 * read from the raw list: node:http's `headers` object, built on first use, costs more than
 * the few looked up here.
 */
function rawHeader(incoming: IncomingMessage, name: string): string | undefined {
  const raw = incoming.rawHeaders;
  let value: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]!;
    if (key.length === name.length && key.toLowerCase() === name) value = value === undefined ? raw[i + 1]! : `${value}, ${raw[i + 1]!}`;
  }
  return value;
}

async function handle(deps: FastIngestDeps, headers: Record<string, string>, incoming: IncomingMessage, outgoing: ServerResponse, path: string, authorization: string): Promise<void> {
  const started = performance.now();
  const given = rawHeader(incoming, 'x-request-id');
  const requestId = given !== undefined && acceptableRequestId.test(given) ? given : randomUUID();
  const batch = path.endsWith('/batch');
  const logFields: Record<string, unknown> = batch ? { batch: true } : {};
  let status: number;
  let body: Record<string, unknown>;
  try {
    const match = bearer.exec(authorization);
    const scope = match ? deps.keyring.scopeOf(match[1]!) : null;
    if (scope === null) throw new UnauthorizedError();
    if (!deps.keyring.allows(scope, 'ingest')) throw new ForbiddenError('ingest');
    const text = await readJsonBody((name) => rawHeader(incoming, name), () => readIncoming(incoming, deps.bodyLimitBytes, rawHeader(incoming, 'content-length')), deps.bodyLimitBytes);
    const core = { appender: deps.appender, metrics: deps.metrics };
    if (batch) {
      const answer = await ingestBatch(core, text, logFields);
      ({ status, body } = answer);
      answer.results.forEach((result, i) => countDelivery(deps.metrics, result.status, answer.attempts[i]));
    } else {
      ({ status, body } = await ingestOne(core, text, logFields));
    }
  } catch (error) {
    ({ status, body } = errorAnswer(error, requestId, deps.logger));
  }
  // As countIngest: a batch counted its envelopes above; a request refused whole counts once.
  if (!batch || status >= 400) countDelivery(deps.metrics, status, logFields.attempt);
  const json = JSON.stringify(body);
  const out: Record<string, string | number> = { ...headers, 'content-type': 'application/json', 'x-request-id': requestId, 'content-length': Buffer.byteLength(json) };
  // A body refused as too large before it was read whole: close after the answer rather than read the rest.
  // (Any other unread body node:http reads and drops, keeping the connection.)
  if (status === 413 && !incoming.complete) out.connection = 'close';
  if (!outgoing.destroyed) outgoing.writeHead(status, out).end(json);
  deps.logger.info('request', {
    requestId,
    method: 'POST',
    path,
    status,
    durationMs: Math.round((performance.now() - started) * 100) / 100,
    ...logFields,
  });
}
