import { Hono } from 'hono';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import type { Keyring } from '../keyring.js';
import type { Metrics } from '../metrics.js';

/** `GET /metrics`: Prometheus text format; the read key goes in Prometheus' `authorization` setting. */
export function metricsRoutes({ metrics, keyring }: { metrics: Metrics; keyring: Keyring }) {
  return new Hono<AppEnv>().get('/metrics', requireScope(keyring, 'read'), async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  });
}
