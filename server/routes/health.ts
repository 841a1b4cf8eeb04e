import { Hono } from 'hono';
import type { Sql } from 'postgres';
import { projectionStatus } from '../../projections/engine/status.js';
import type { Alert } from '../alerts.js';
import type { AppEnv } from '../env.js';

// A projection this far behind, or with parked events, makes the service degraded (still serving).
const LAG_DEGRADED = 1000;

async function projections(sql: Sql) {
  const all = await projectionStatus(sql);
  const checks = Object.fromEntries(all.map((p) => [p.name, { lag: p.lag, status: p.status, parked: p.parked }]));
  const degraded = all.some((p) => p.lag > LAG_DEGRADED || p.parked > 0 || (p.status !== 'running' && p.status !== 'starting'));
  return { checks, degraded };
}

/**
 * `GET /api/health`: open without a key, so load balancers and the hook's --health can call it.
 * Firing alerts are listed under checks.alerts; a critical one makes the service degraded at least.
 */
export function healthRoutes({ sql, now = () => performance.now(), alerts: firing = () => [] }: { sql: Sql; now?: () => number; alerts?: () => Alert[] }) {
  return new Hono<AppEnv>().get('/api/health', async (c) => {
    const started = now();
    const alerts = firing();
    c.header('Cache-Control', 'no-store');
    try {
      await sql`select 1`;
      const database = { status: 'up', latencyMs: Math.round((now() - started) * 100) / 100 };
      const { checks, degraded } = await projections(sql);
      const critical = alerts.some((a) => a.level === 'critical');
      return c.json({ status: degraded || critical ? 'degraded' : 'healthy', checks: { database, projections: checks, alerts } }, 200);
    } catch (error) {
      const database = { status: 'down', error: (error as Error).message };
      return c.json({ status: 'unhealthy', checks: { database, alerts } }, 503);
    }
  });
}
