import { Hono } from 'hono';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { ArrakisError, BadRequestError } from '../../core/errors.js';
import { requestRetry } from '../../projections/engine/parked.js';
import { projectionStatus } from '../../projections/engine/status.js';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import type { Keyring } from '../keyring.js';

const parkedParams = z.object({ name: z.string().regex(/^[a-z][a-z0-9_]{0,40}$/), id: z.coerce.number().int().positive() });

/**
 * `GET /api/projections`: each projection's position, lag, status and parked events.
 * `POST /api/projections/:name/parked/:id/retry` (admin): the projector owning the
 * projection applies the parked event again with the code it runs now.
 */
export function projectionRoutes({ sql, keyring }: { sql: Sql; keyring: Keyring }) {
  return new Hono<AppEnv>()
    .get('/api/projections', requireScope(keyring, 'read'), async (c) => c.json(await projectionStatus(sql)))
    .post('/api/projections/:name/parked/:id/retry', requireScope(keyring, 'admin'), async (c) => {
      const params = parkedParams.safeParse(c.req.param());
      if (!params.success) throw new BadRequestError('expected a projection name and a parked event id');
      if (!(await requestRetry(sql, params.data.name, params.data.id))) {
        throw new ArrakisError(404, 'not_found', `no unresolved parked event ${params.data.id} in ${params.data.name}`);
      }
      return c.json({ name: params.data.name, id: params.data.id, retryRequested: true }, 202);
    });
}
