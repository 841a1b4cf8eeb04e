/**
 * One projector process of bench/partitions.ts: `tsx partition-child.ts URL NAME K OWNER`
 * runs projection NAME split into K partitions; says `ready`, stops on SIGTERM.
 */
import { connect } from '../../core/db.js';
import { allProjections } from '../../projections/index.js';
import { startProjector } from '../../projections/engine/projector.js';

const [url, name, k, owner] = process.argv.slice(2) as [string, string, string, string];
const projection = { ...allProjections.find((p) => p.name === name)!, partitions: Number(k) };
const sql = connect(url, { max: 6 });
const projector = await startProjector(sql, { projections: [projection], batchSize: 1000, pollMs: 200, owner });
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void projector.stop().then(() => sql.end({ timeout: 5 })).then(() => process.exit(0));
});
