import { hash, timingSafeEqual } from 'node:crypto';
import { SCOPES, type Keys, type Scope } from '../core/keys.js';
import { createSessions, type Sessions } from './session.js';

/** What each key's scope lets it do: admin may do all, the others only their own. */
const grants: Record<Scope, readonly Scope[]> = {
  ingest: ['ingest'],
  read: ['read'],
  admin: ['ingest', 'read', 'admin'],
};

export interface Keyring {
  /** The scope of the key that matches `token`, or null. Compares in constant time. */
  scopeOf(token: string): Scope | null;
  allows(scope: Scope, needed: Scope): boolean;
  /** Login cookies, signed with a secret derived from these keys. */
  sessions: Sessions;
}

// One-shot: a Hash object per call costs more than hashing a key (every request does this).
const digest = (text: string) => hash('sha256', text, 'buffer');

export function createKeyring(keys: Keys, { now = () => Date.now() } = {}): Keyring {
  // Comparing fixed-length digests keeps timingSafeEqual's length precondition and leaks
  // nothing about a key's length; every key is compared, so the matching one is not timed.
  const digests = SCOPES.map((scope) => [scope, digest(keys[scope])] as const);
  return {
    scopeOf(token) {
      const candidate = digest(token);
      let found: Scope | null = null;
      for (const [scope, expected] of digests) if (timingSafeEqual(candidate, expected) && found === null) found = scope;
      return found;
    },
    allows: (scope, needed) => grants[scope].includes(needed),
    sessions: createSessions(keys, { now }),
  };
}
