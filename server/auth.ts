import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { ForbiddenError, UnauthorizedError } from '../core/errors.js';
import type { Scope } from '../core/keys.js';
import type { AppEnv } from './env.js';
import type { Keyring } from './keyring.js';
import { SESSION_COOKIE } from './session.js';

export const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * 401 without a known key, 403 when the key's scope does not grant `needed`. A bearer key
 * wins; without one, the session cookie of `POST /api/login` is accepted where given.
 */
export function requireScope(keyring: Keyring, needed: Scope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = bearer.exec(header ?? '');
    let scope = match ? keyring.scopeOf(match[1]!) : null;
    if (scope === null && header === undefined) {
      const cookie = getCookie(c, SESSION_COOKIE);
      scope = cookie ? keyring.sessions.verify(cookie) : null;
    }
    if (scope === null) throw new UnauthorizedError();
    if (!keyring.allows(scope, needed)) throw new ForbiddenError(needed);
    c.set('scope', scope);
    await next();
  };
}
