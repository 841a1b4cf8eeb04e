import { createHash } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Actor } from '../core/admin-events.js';
import type { AppEnv } from './env.js';
import { SESSION_COOKIE } from './session.js';

const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** Enough to tell keys (or sessions) apart in the log, far too little to recover one. */
export const fingerprint = (credential: string): string => createHash('sha256').update(credential).digest('hex').slice(0, 8);

function remoteAddress(c: Context<AppEnv>): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // Only a Node server has a socket; app.request() in tests and other runtimes have none.
    return undefined;
  }
}

/**
 * Who is asking, for the admin events of the log: read after requireScope, which has
 * already accepted the bearer key or, without an Authorization header, the login cookie.
 */
export function actorOf(c: Context<AppEnv>): Actor {
  const key = bearer.exec(c.req.header('authorization') ?? '')?.[1];
  const credential = key ?? getCookie(c, SESSION_COOKIE) ?? '';
  const userAgent = c.req.header('user-agent')?.slice(0, 512);
  const address = remoteAddress(c);
  return {
    by: { scope: c.get('scope'), via: key === undefined ? 'session' : 'key', fingerprint: fingerprint(credential) },
    requestId: c.get('requestId'),
    ...(address === undefined ? {} : { remoteAddress: address.slice(0, 64) }),
    ...(userAgent === undefined ? {} : { userAgent }),
  };
}
