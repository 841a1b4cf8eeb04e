import { setTimeout as sleep } from 'node:timers/promises';
import { loadServerConfig } from '../core/config.js';
import { connect } from '../core/db.js';
import { createLogger, silentLogger } from '../core/log.js';
import { allProjections } from '../projections/index.js';
import { configurePartitions } from '../projections/engine/partitions.js';
import { startProjector } from '../projections/engine/projector.js';
import { requestRebuild } from '../projections/engine/registry.js';
import { projectionStatus } from '../projections/engine/status.js';
import { openDatabase } from './database.js';

/**
 * `arrakis rebuild [NAME...]`: starts a fresh generation of each named projection (all
 * when none) and projects until every one has caught up and swapped in. The old
 * generations keep serving meanwhile; a projector already running shares the work.
 */
export async function rebuildCommand(names: string[]): Promise<number> {
  const unknown = names.filter((n) => !allProjections.some((p) => p.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`arrakis rebuild: unknown projection ${unknown.join(', ')} (known: ${allProjections.map((p) => p.name).join(', ')})\n`);
    return 2;
  }
  // A rebuild takes ARRAKIS_PARTITIONS' counts: how a new partition count takes effect.
  const projections = configurePartitions(allProjections);
  const chosen = names.length > 0 ? projections.filter((p) => names.includes(p.name)) : projections;
  const database = await openDatabase(loadServerConfig(), createLogger({ level: 'warn' }));
  const sql = connect(database.ownerUrl, { max: 4, applicationName: 'arrakis-rebuild' });
  try {
    const projector = await startProjector(sql, { projections, logger: silentLogger, batchSize: 2000 });
    const wanted = new Map<string, number>();
    for (const projection of chosen) wanted.set(projection.name, await requestRebuild(sql, projection, { resume: true }));
    const started = Date.now();
    for (;;) {
      const status = await projectionStatus(sql);
      const pending = status.filter((s) => wanted.has(s.name) && s.generation !== wanted.get(s.name));
      const line = pending.map((s) => `${s.name} ${s.building ? `${s.building.lag} to go` : 'waiting'}`).join(', ');
      process.stderr.write(`\r${pending.length === 0 ? 'rebuilt' : 'rebuilding'} ${[...wanted.keys()].join(', ')} ${line} (${Math.round((Date.now() - started) / 1000)} s)   `);
      if (pending.length === 0) break;
      await sleep(500);
    }
    process.stderr.write('\n');
    await projector.stop();
  } finally {
    await sql.end({ timeout: 5 });
    await database.close();
  }
  return 0;
}
