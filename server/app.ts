import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Sql } from 'postgres';
import type { Appender } from '../core/group-commit.js';
import type { Keys } from '../core/keys.js';
import { silentLogger, type Logger } from '../core/log.js';
import type { AppEnv } from './env.js';
import { createKeyring } from './keyring.js';
import { onError } from './on-error.js';
import { requestLog } from './request-log.js';
import { healthRoutes } from './routes/health.js';
import { ingestRoutes } from './routes/ingest.js';
import { projectionRoutes } from './routes/projections.js';
import { staticRoutes } from './static.js';

export interface AppDeps {
  sql: Sql;
  appender: Appender;
  keys: Keys;
  logger?: Logger;
  bodyLimitBytes?: number;
  /** The built UI; defaults to ui/dist. */
  uiRoot?: string;
}

export function createApp({ sql, appender, keys, logger = silentLogger, bodyLimitBytes = 32 * 1024 * 1024, uiRoot }: AppDeps) {
  const keyring = createKeyring(keys);
  const app = new Hono<AppEnv>();
  app.use(requestLog(logger));
  app.use(secureHeaders());
  app.route('/', healthRoutes({ sql }));
  app.route('/', ingestRoutes({ appender, keyring, bodyLimitBytes }));
  app.route('/', projectionRoutes({ sql, keyring }));
  app.route('/', staticRoutes({ root: uiRoot }));
  app.notFound((c) => c.json({ error: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError(onError(logger));
  return app;
}
