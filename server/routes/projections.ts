import { Hono } from 'hono';
import type { Sql } from 'postgres';
import { projectionStatus } from '../../projections/engine/status.js';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import type { Keyring } from '../keyring.js';

/** `GET /api/projections`: each projection's position, lag, status and parked events. */
export function projectionRoutes({ sql, keyring }: { sql: Sql; keyring: Keyring }) {
  return new Hono<AppEnv>().get('/api/projections', requireScope(keyring, 'read'), async (c) => c.json(await projectionStatus(sql)));
}
