import { loadServerConfig } from '../core/config.js';
import { connect } from '../core/db.js';
import { createAppender } from '../core/group-commit.js';
import { ensureKeys } from '../core/keys.js';
import { createLogger } from '../core/log.js';
import { allProjections } from '../projections/index.js';
import { configurePartitions } from '../projections/engine/partitions.js';
import { startProjector, type Projector } from '../projections/engine/projector.js';
import { alertRules } from '../server/alert-rules.js';
import { createAlerts } from '../server/alerts.js';
import { createApp } from '../server/app.js';
import { startChangeFeed } from '../server/feed/change-feed.js';
import { listen } from '../server/http.js';
import { createMetrics } from '../server/metrics.js';
import { banner } from './banner.js';
import { openDatabase } from './database.js';
import { logUnhandledRejections, untilSignal } from './signals.js';

/**
 * `arrakis start` (server and projector) and `arrakis serve` (server alone): database,
 * migrations, keys, then the HTTP server until SIGINT/SIGTERM, when everything stops in
 * reverse order, embedded Postgres last.
 */
export async function serveCommand({ withProjector }: { withProjector: boolean }): Promise<number> {
  const config = loadServerConfig();
  const projections = withProjector ? configurePartitions(allProjections) : allProjections;
  const logger = createLogger();
  logUnhandledRejections((msg, fields) => logger.error(msg, fields));
  const database = await openDatabase(config, logger);
  try {
    if (database.applied.length > 0) logger.info('migrations applied', { applied: database.applied });
    const keys = await ensureKeys(config.dataDir, config.givenKeys);
    const sql = connect(database.url, { max: 20, applicationName: 'arrakis-server' });
    const projectorSql = withProjector ? connect(database.ownerUrl, { max: 8, applicationName: 'arrakis-projector' }) : null;
    let projector: Projector | null = null;
    try {
      if (projectorSql) projector = await startProjector(projectorSql, { projections, logger: logger.child({ component: 'projector' }) });
      const appender = createAppender(sql);
      const feed = await startChangeFeed(sql, { logger: logger.child({ component: 'feed' }) });
      const metrics = createMetrics({ sql, sseClients: () => feed.clientCount(), processMetrics: true });
      const alerts = createAlerts({
        rules: alertRules(sql, metrics),
        logger: logger.child({ component: 'alerts' }),
        intervalMs: config.alertIntervalMs,
        webhookUrl: config.alertWebhookUrl,
      });
      const app = createApp({ sql, appender, keys: keys.keys, logger, bodyLimitBytes: config.bodyLimitBytes, feed, metrics, alerts: alerts.firing });
      const server = await listen(app, { hostname: config.host, port: config.port });
      alerts.start();
      logger.info('listening', { url: server.url, projector: projector?.owner ?? null });
      process.stderr.write(banner({ url: server.url, database: database.description, keys }));
      const signal = await untilSignal();
      logger.info('stopping', { signal });
      await alerts.stop();
      // Ending the feed ends every open stream, so the server can close.
      await feed.close();
      await server.close();
      await appender.drain();
    } finally {
      await projector?.stop();
      await projectorSql?.end({ timeout: 5 });
      await sql.end({ timeout: 5 });
    }
  } finally {
    await database.close();
  }
  logger.info('stopped');
  return 0;
}
