import { Hono } from 'hono';
import type { Sql } from 'postgres';
import { ArrakisError } from '../../core/errors.js';
import { completenessSummary, sessionCompleteness } from '../../projections/completeness/queries.js';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import type { Keyring } from '../keyring.js';

/**
 * `GET /api/completeness`: the capture rate overall and per host, and the sessions with
 * unexplained gaps. `GET /api/conversations/:sessionId/completeness`: one session's gaps.
 */
export function completenessRoutes({ sql, keyring }: { sql: Sql; keyring: Keyring }) {
  const read = requireScope(keyring, 'read');
  return new Hono<AppEnv>()
    .get('/api/completeness', read, async (c) => c.json(await completenessSummary(sql)))
    .get('/api/conversations/:sessionId/completeness', read, async (c) => {
      const sessionId = c.req.param('sessionId');
      const report = await sessionCompleteness(sql, sessionId);
      if (!report) throw new ArrakisError(404, 'not_found', `no conversation ${sessionId}`);
      return c.json(report);
    });
}
