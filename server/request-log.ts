import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../core/log.js';
import type { AppEnv } from './env.js';

/** An X-Request-Id taken as given; anything else is replaced by a fresh one. */
export const acceptableRequestId = /^[\x21-\x7e]{1,128}$/;

/**
 * Echoes (or assigns) X-Request-Id and writes one structured line per request. Only the
 * method, path and outcome are logged: never headers, query strings or bodies, so keys
 * cannot leak into logs.
 */
export function requestLog(logger: Logger, now: () => number = () => performance.now()): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = now();
    const given = c.req.header('x-request-id');
    const requestId = given && acceptableRequestId.test(given) ? given : randomUUID();
    c.set('requestId', requestId);
    c.set('logFields', {});
    c.header('X-Request-Id', requestId);
    await next();
    logger.info('request', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((now() - started) * 100) / 100,
      ...c.get('logFields'),
    });
  };
}
