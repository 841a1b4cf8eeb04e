import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ArrakisError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { toArrakisError } from '../core/pg-errors.js';
import type { AppEnv } from './env.js';

/** The one place typed errors become statuses. Anything unexpected is a logged 500 without internals. */
export function onError(logger: Logger): ErrorHandler<AppEnv> {
  return (thrown, c) => {
    const error = toArrakisError(thrown);
    const requestId = c.get('requestId');
    if (error instanceof ArrakisError) {
      const body: Record<string, unknown> = { error: error.code, message: error.message, requestId };
      if (error.details !== undefined) body[error.status === 400 ? 'issues' : 'details'] = error.details;
      if (error.status >= 500) logger.warn('request failed', { requestId, error: error.message });
      return c.json(body, error.status as ContentfulStatusCode);
    }
    if (thrown instanceof HTTPException) {
      return c.json({ error: 'http', message: thrown.message, requestId }, thrown.status);
    }
    logger.error('unexpected error', { requestId, error: String((thrown as Error)?.stack ?? thrown) });
    return c.json({ error: 'internal', message: 'unexpected server error', requestId }, 500);
  };
}
