import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { BadRequestError, ForbiddenError, UnauthorizedError } from '../../core/errors.js';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import type { Keyring } from '../keyring.js';
import { parseJson, readJsonText } from '../read-body.js';
import { SESSION_COOKIE, SESSION_TTL_SECONDS } from '../session.js';

const loginBody = z.object({ key: z.string().min(1).max(512) });

const cookieOptions = (secure: boolean) => ({ httpOnly: true, sameSite: 'Strict' as const, path: '/', secure });

/**
 * `POST /api/login {"key"}` trades a read or admin key for an HttpOnly, SameSite=Strict
 * session cookie, which every read route and the SSE stream accept; `POST /api/logout`
 * clears it; `GET /api/session` tells which scope the cookie holds. The ingest key cannot log in: it belongs in hooks, not browsers.
 */
export function loginRoutes({ keyring }: { keyring: Keyring }) {
  return new Hono<AppEnv>()
    .post('/api/login', async (c) => {
      const parsed = loginBody.safeParse(parseJson(await readJsonText(c.req.raw, 4096)));
      if (!parsed.success) throw new BadRequestError('expected {"key": "<read or admin key>"}', [{ path: 'key', message: 'required string' }]);
      const scope = keyring.scopeOf(parsed.data.key);
      if (scope === null) throw new UnauthorizedError('unknown key');
      if (scope === 'ingest') throw new ForbiddenError('read');
      const secure = new URL(c.req.url).protocol === 'https:';
      setCookie(c, SESSION_COOKIE, keyring.sessions.issue(scope), { ...cookieOptions(secure), maxAge: SESSION_TTL_SECONDS });
      c.header('Cache-Control', 'no-store');
      return c.json({ scope });
    })
    // Which scope this browser holds, so a page can offer admin actions only to an admin login.
    .get('/api/session', requireScope(keyring, 'read'), (c) => c.json({ scope: c.get('scope') }))
    .post('/api/logout', (c) => {
      deleteCookie(c, SESSION_COOKIE, cookieOptions(new URL(c.req.url).protocol === 'https:'));
      return c.json({ loggedOut: true });
    });
}
