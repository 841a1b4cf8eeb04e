import type { MiddlewareHandler } from 'hono';
import { ForbiddenError, UnauthorizedError } from '../core/errors.js';
import type { Scope } from '../core/keys.js';
import type { AppEnv } from './env.js';
import type { Keyring } from './keyring.js';

const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** 401 without a known key, 403 when the key's scope does not grant `needed`. */
export function requireScope(keyring: Keyring, needed: Scope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const match = bearer.exec(c.req.header('authorization') ?? '');
    const scope = match ? keyring.scopeOf(match[1]!) : null;
    if (scope === null) throw new UnauthorizedError();
    if (!keyring.allows(scope, needed)) throw new ForbiddenError(needed);
    c.set('scope', scope);
    await next();
  };
}
