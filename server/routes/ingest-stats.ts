import { Hono } from 'hono';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { eventsPerMinute } from '../../core/event-rate.js';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import type { Keyring } from '../keyring.js';
import type { Metrics } from '../metrics.js';
import { parseParams } from './query.js';

const ingestQuery = z.object({ minutes: z.coerce.number().int().min(1).max(24 * 60).default(60) });

export interface IngestStatsDeps {
  sql: Sql;
  keyring: Keyring;
  metrics: Metrics;
  clock?: () => Date;
}

/**
 * `GET /api/stats/ingest?minutes=60`: per minute, oldest first, the current minute last,
 * `{at, events, rejected}`. `events` come from the log, so they count every server's
 * appends; `rejected` are the ingest requests this server process refused (kept in memory
 * since `rejectedSince`, its start), as the log holds no trace of a refused request.
 */
export function ingestStatsRoutes({ sql, keyring, metrics, clock = () => new Date() }: IngestStatsDeps) {
  return new Hono<AppEnv>().get('/api/stats/ingest', requireScope(keyring, 'read'), async (c) => {
    const { minutes } = parseParams(ingestQuery, c.req.query());
    const events = await eventsPerMinute(sql, { minutes, now: clock() });
    const rejected = new Map(metrics.ingestRejectedPerMinute.last(minutes).map((m) => [m.at, m.count]));
    return c.json({
      minutes,
      rejectedSince: metrics.ingestRejectedPerMinute.since.toISOString(),
      buckets: events.map((m) => ({ at: m.at, events: m.events, rejected: rejected.get(m.at) ?? 0 })),
    });
  });
}
