import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Keys, Scope } from '../core/keys.js';

/** The cookie the UI holds after logging in: EventSource cannot send an Authorization header. */
export const SESSION_COOKIE = 'arrakis_session';
export const SESSION_TTL_SECONDS = 30 * 24 * 3600;

export interface Sessions {
  issue(scope: Scope): string;
  /** The scope a cookie value grants, or null when forged, altered or expired. */
  verify(token: string): Scope | null;
}

const loginScopes = new Set<Scope>(['read', 'admin']);

/**
 * Stateless signed tokens: `<scope>.<expiry>.<hmac>`. The signing secret derives from the
 * keys themselves, so sessions survive restarts and replacing a key ends every session
 * signed with the old ones. The key never travels in the cookie.
 */
export function createSessions(keys: Keys, { now = () => Date.now(), ttlSeconds = SESSION_TTL_SECONDS } = {}): Sessions {
  const secret = createHash('sha256').update(`arrakis-session\0${keys.read}\0${keys.admin}`).digest();
  const sign = (body: string) => createHmac('sha256', secret).update(body).digest('base64url');
  return {
    issue(scope) {
      const body = `${scope}.${Math.floor(now() / 1000) + ttlSeconds}`;
      return `${body}.${sign(body)}`;
    },
    verify(token) {
      const [scope, expiry, signature, ...rest] = token.split('.');
      if (rest.length > 0 || !scope || !expiry || !signature) return null;
      const expected = Buffer.from(sign(`${scope}.${expiry}`));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      if (!/^\d+$/.test(expiry) || Number(expiry) * 1000 <= now()) return null;
      return loginScopes.has(scope as Scope) ? (scope as Scope) : null;
    },
  };
}
