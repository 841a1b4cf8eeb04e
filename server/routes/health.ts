import { Hono } from 'hono';
import type { Sql } from 'postgres';
import type { AppEnv } from '../env.js';

/** `GET /api/health`: open without a key, so load balancers and the hook's --health can call it. */
export function healthRoutes({ sql, now = () => performance.now() }: { sql: Sql; now?: () => number }) {
  return new Hono<AppEnv>().get('/api/health', async (c) => {
    const started = now();
    let database: Record<string, unknown>;
    try {
      await sql`select 1`;
      database = { status: 'up', latencyMs: Math.round((now() - started) * 100) / 100 };
    } catch (error) {
      database = { status: 'down', error: (error as Error).message };
    }
    const healthy = database.status === 'up';
    c.header('Cache-Control', 'no-store');
    return c.json({ status: healthy ? 'healthy' : 'unhealthy', checks: { database } }, healthy ? 200 : 503);
  });
}
