import { Hono } from 'hono';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { adminEvent, REBUILD_REQUESTED } from '../../core/admin-events.js';
import { ArrakisError, BadRequestError } from '../../core/errors.js';
import { appendEvents } from '../../core/event-store.js';
import { listParked, requestRetry } from '../../projections/engine/parked.js';
import { projectionStatus } from '../../projections/engine/status.js';
import { actorOf } from '../admin-actor.js';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import type { Keyring } from '../keyring.js';

const projectionName = z.string().regex(/^[a-z][a-z0-9_]{0,40}$/);
const parkedParams = z.object({ name: projectionName, id: z.coerce.number().int().positive() });
const resumeQuery = z.enum(['true', 'false']).optional();

export interface ProjectionRoutesDeps {
  sql: Sql;
  keyring: Keyring;
  clock?: () => Date;
}

/**
 * `GET /api/projections`: each projection's position, lag, status and parked events.
 * `GET /api/projections/:name/parked`: the serving generation's unresolved parked events,
 * `[{id, position, eventType, error, parkedAt, retryRequestedAt}]`, oldest position first.
 * The admin routes record the request in the log (the server may only append there) and
 * answer 202: the projectors act on it when they read it.
 * `POST /api/projections/:name/rebuild[?resume=true]`: a fresh generation is built from the
 * start of the log while the active one serves (see projections/engine/control.ts).
 * `POST /api/projections/:name/parked/:id/retry`: the projector owning the projection
 * applies the parked event again with the code it runs now.
 */
export function projectionRoutes({ sql, keyring, clock = () => new Date() }: ProjectionRoutesDeps) {
  return new Hono<AppEnv>()
    .get('/api/projections', requireScope(keyring, 'read'), async (c) => c.json(await projectionStatus(sql)))
    .get('/api/projections/:name/parked', requireScope(keyring, 'read'), async (c) => {
      const name = projectionName.safeParse(c.req.param('name'));
      if (!name.success) throw new BadRequestError('expected a projection name');
      const parked = await listParked(sql, name.data);
      if (!parked) throw new ArrakisError(404, 'not_found', `no projection ${name.data}`);
      return c.json(parked);
    })
    .post('/api/projections/:name/rebuild', requireScope(keyring, 'admin'), async (c) => {
      const name = c.req.param('name');
      const resume = resumeQuery.safeParse(c.req.query('resume'));
      if (!resume.success) throw new BadRequestError('resume must be true or false');
      // Known means registered by a projector: that is what a projector can act on.
      const known = (await sql<{ name: string }[]>`select name from arrakis.projections order by name`).map((r) => r.name);
      if (!known.includes(name)) throw new ArrakisError(404, 'not_found', `no projection ${name} (known: ${known.join(', ') || 'none yet'})`);
      const event = adminEvent(REBUILD_REQUESTED, { projection: name, resume: resume.data === 'true', ...actorOf(c) }, { clock });
      const [outcome] = await appendEvents(sql, [event], clock());
      c.get('logFields').position = outcome!.position;
      return c.json({ name, requested: true, position: outcome!.position }, 202);
    })
    .post('/api/projections/:name/parked/:id/retry', requireScope(keyring, 'admin'), async (c) => {
      const params = parkedParams.safeParse(c.req.param());
      if (!params.success) throw new BadRequestError('expected a projection name and a parked event id');
      const { name, id } = params.data;
      const position = (await requestRetry(sql, name, id, actorOf(c), { clock }))?.position ?? null;
      if (position === null) throw new ArrakisError(404, 'not_found', `no unresolved parked event ${id} in ${name}`);
      c.get('logFields').position = position;
      return c.json({ name, id, retryRequested: true, position }, 202);
    });
}
