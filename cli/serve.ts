import { loadServerConfig } from '../core/config.js';
import { connect } from '../core/db.js';
import { createAppender } from '../core/group-commit.js';
import { ensureKeys } from '../core/keys.js';
import { createLogger } from '../core/log.js';
import { createApp } from '../server/app.js';
import { listen } from '../server/http.js';
import { banner } from './banner.js';
import { openDatabase } from './database.js';
import { untilSignal } from './signals.js';

/**
 * `arrakis serve` (and, for now, `arrakis start`): database, migrations, keys, then the HTTP
 * server until SIGINT/SIGTERM, when everything stops in reverse order, embedded Postgres last.
 */
export async function serveCommand(): Promise<number> {
  const config = loadServerConfig();
  const logger = createLogger();
  const database = await openDatabase(config, logger);
  try {
    if (database.applied.length > 0) logger.info('migrations applied', { applied: database.applied });
    const keys = await ensureKeys(config.dataDir, config.givenKeys);
    const sql = connect(database.url, { max: 20, applicationName: 'arrakis-server' });
    const appender = createAppender(sql);
    const app = createApp({ sql, appender, keys: keys.keys, logger, bodyLimitBytes: config.bodyLimitBytes });
    const server = await listen(app, { hostname: config.host, port: config.port });
    logger.info('listening', { url: server.url });
    process.stderr.write(banner({ url: server.url, database: database.description, keys }));
    const signal = await untilSignal();
    logger.info('stopping', { signal });
    await server.close();
    await appender.drain();
    await sql.end({ timeout: 5 });
  } finally {
    await database.close();
  }
  logger.info('stopped');
  return 0;
}
