import { Hono } from 'hono';
import type { Sql } from 'postgres';
import { listHookHealth } from '../../projections/hook-health.js';
import { statsSummary } from '../../projections/stats-queries.js';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import type { Keyring } from '../keyring.js';

/**
 * `GET /api/stats`: events by type and day, tools, tokens and cost by model, ingest delay.
 * `GET /api/hook-health`: each client host's hook, most recently heard from first.
 */
export function statsRoutes({ sql, keyring }: { sql: Sql; keyring: Keyring }) {
  return new Hono<AppEnv>()
    .get('/api/stats', requireScope(keyring, 'read'), async (c) => c.json(await statsSummary(sql)))
    .get('/api/hook-health', requireScope(keyring, 'read'), async (c) => c.json(await listHookHealth(sql)));
}
