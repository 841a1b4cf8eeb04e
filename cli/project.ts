import { loadServerConfig } from '../core/config.js';
import { connect } from '../core/db.js';
import { createLogger } from '../core/log.js';
import { allProjections } from '../projections/index.js';
import { configurePartitions } from '../projections/engine/partitions.js';
import { startProjector } from '../projections/engine/projector.js';
import { openDatabase } from './database.js';
import { logUnhandledRejections, untilSignal } from './signals.js';

/** `arrakis project`: the projector alone. Several may run against one database; leases share the work. */
export async function projectCommand(): Promise<number> {
  // ARRAKIS_PARTITIONS and each projection's partitions, refused here when a projection cannot be split.
  const projections = configurePartitions(allProjections);
  const logger = createLogger();
  logUnhandledRejections((msg, fields) => logger.error(msg, fields));
  const database = await openDatabase(loadServerConfig(), logger);
  const sql = connect(database.ownerUrl, { max: 8, applicationName: 'arrakis-projector' });
  try {
    const projector = await startProjector(sql, { projections, logger });
    logger.info('projecting', { owner: projector.owner, projections: projections.map((p) => p.name), partitions: Object.fromEntries(projections.filter((p) => (p.partitions ?? 1) > 1).map((p) => [p.name, p.partitions])) });
    process.stderr.write(`arrakis: projector ${projector.owner} running ${allProjections.map((p) => p.name).join(', ')}; Ctrl-C to stop\n`);
    logger.info('stopping', { signal: await untilSignal() });
    await projector.stop();
  } finally {
    await sql.end({ timeout: 5 });
    await database.close();
  }
  return 0;
}
