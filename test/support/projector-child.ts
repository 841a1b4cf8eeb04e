/** A projector in a process of its own, for tests that SIGKILL it: `node --import tsx projector-child.ts URL [NAME] [PARTITIONS] [OWNER]`. */
import { connect } from '../../core/db.js';
import { startProjector } from '../../projections/engine/projector.js';
import { counterProjection } from './counter-projection.js';

const sql = connect(process.argv[2]!, { max: 4 });
const partitions = process.argv[4] ? Number(process.argv[4]) : undefined;
await startProjector(sql, { projections: [counterProjection({ name: process.argv[3] ?? 'counter', partitions })], batchSize: 20, leaseMs: 1000, pollMs: 100, owner: process.argv[5] ?? 'child' });
process.stdout.write('ready\n');
