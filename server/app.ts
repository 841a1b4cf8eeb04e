import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Sql } from 'postgres';
import type { Appender } from '../core/group-commit.js';
import type { Keys } from '../core/keys.js';
import { silentLogger, type Logger } from '../core/log.js';
import type { Alert } from './alerts.js';
import type { AppEnv } from './env.js';
import type { ChangeFeed } from './feed/change-feed.js';
import { fastHandlers, fastIngest } from './ingest-fast.js';
import { createKeyring } from './keyring.js';
import { createMetrics, type Metrics } from './metrics.js';
import { onError } from './on-error.js';
import { requestLog } from './request-log.js';
import { completenessRoutes } from './routes/completeness.js';
import { conversationRoutes } from './routes/conversations.js';
import { eventRoutes } from './routes/events.js';
import { exportRoutes } from './routes/export.js';
import { healthRoutes } from './routes/health.js';
import { hookLogRoutes } from './routes/hook-logs.js';
import { ingestRoutes } from './routes/ingest.js';
import { ingestStatsRoutes } from './routes/ingest-stats.js';
import { loginRoutes } from './routes/login.js';
import { metricsRoutes } from './routes/metrics.js';
import { projectionRoutes } from './routes/projections.js';
import { searchRoutes } from './routes/search.js';
import { statsRoutes } from './routes/stats.js';
import { streamRoutes } from './routes/stream.js';
import { usageRoutes } from './routes/usage.js';
import { staticRoutes } from './static.js';

export interface AppDeps {
  sql: Sql;
  appender: Appender;
  keys: Keys;
  logger?: Logger;
  bodyLimitBytes?: number;
  /** The built UI; defaults to ui/dist. */
  uiRoot?: string;
  /** The live change feed; without it the stream answers 503. */
  feed?: ChangeFeed;
  heartbeatMs?: number;
  /** Prometheus instruments; an app of its own gets a registry of its own. */
  metrics?: Metrics;
  /** Alerts firing now, for /api/health. */
  alerts?: () => Alert[];
}

export function createApp({ sql, appender, keys, logger = silentLogger, bodyLimitBytes = 32 * 1024 * 1024, uiRoot, feed, heartbeatMs, metrics = createMetrics({ sql, sseClients: () => feed?.clientCount() ?? 0 }), alerts }: AppDeps) {
  const keyring = createKeyring(keys);
  const app = new Hono<AppEnv>();
  app.use(requestLog(logger));
  const security = secureHeaders();
  app.use(security);
  app.route('/', healthRoutes({ sql, alerts }));
  app.route('/', loginRoutes({ keyring }));
  // Before the conversation routes, whose :sessionId would otherwise take "stream".
  app.route('/', streamRoutes({ feed, keyring, heartbeatMs }));
  app.route('/', ingestRoutes({ appender, keyring, bodyLimitBytes, metrics }));
  app.route('/', hookLogRoutes({ sql, appender, keyring, bodyLimitBytes }));
  app.route('/', projectionRoutes({ sql, keyring }));
  // GET /api/conversations/stream never reaches these: their :sessionId excludes "stream".
  app.route('/', completenessRoutes({ sql, keyring }));
  app.route('/', exportRoutes({ sql, keyring }));
  app.route('/', conversationRoutes({ sql, keyring }));
  app.route('/', eventRoutes({ sql, keyring }));
  app.route('/', statsRoutes({ sql, keyring }));
  app.route('/', usageRoutes({ sql, keyring }));
  app.route('/', searchRoutes({ sql, keyring }));
  app.route('/', ingestStatsRoutes({ sql, keyring, metrics }));
  app.route('/', metricsRoutes({ metrics, keyring }));
  app.route('/', staticRoutes({ root: uiRoot }));
  app.notFound((c) => c.json({ error: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError(onError(logger));
  // The ingest routes again, straight on node:http for listen() (see ingest-fast.ts), with the headers `security` sets.
  const probe = new Hono().use(security).get('/', (c) => c.json({}));
  const staticHeaders = Promise.resolve(probe.request('/')).then((res) => Object.fromEntries([...res.headers].filter(([name]) => name !== 'content-type')));
  fastHandlers.set(app, fastIngest({ appender, keyring, bodyLimitBytes, metrics, logger, staticHeaders }));
  return app;
}
