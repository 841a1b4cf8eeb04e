import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ArrakisError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { toArrakisError } from '../core/pg-errors.js';
import type { AppEnv } from './env.js';

/** A thrown error as its status and JSON body; anything unexpected is a logged 500 without internals. */
export function errorAnswer(thrown: unknown, requestId: string, logger: Logger): { status: ContentfulStatusCode; body: Record<string, unknown> } {
  const error = toArrakisError(thrown);
  if (error instanceof ArrakisError) {
    const body: Record<string, unknown> = { error: error.code, message: error.message, requestId };
    if (error.details !== undefined) body[error.status === 400 ? 'issues' : 'details'] = error.details;
    if (error.status >= 500) logger.warn('request failed', { requestId, error: error.message });
    return { status: error.status as ContentfulStatusCode, body };
  }
  if (thrown instanceof HTTPException) {
    return { status: thrown.status, body: { error: 'http', message: thrown.message, requestId } };
  }
  logger.error('unexpected error', { requestId, error: String((thrown as Error)?.stack ?? thrown) });
  return { status: 500, body: { error: 'internal', message: 'unexpected server error', requestId } };
}

/** The one place typed errors become statuses (errorAnswer, shared with server/ingest-fast.ts). */
export function onError(logger: Logger): ErrorHandler<AppEnv> {
  return (thrown, c) => {
    const { status, body } = errorAnswer(thrown, c.get('requestId'), logger);
    return c.json(body, status);
  };
}
