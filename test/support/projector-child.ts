/** A projector in a process of its own, for tests that SIGKILL it: `node --import tsx projector-child.ts URL [NAME]`. */
import { connect } from '../../core/db.js';
import { startProjector } from '../../projections/engine/projector.js';
import { counterProjection } from './counter-projection.js';

const sql = connect(process.argv[2]!, { max: 4 });
await startProjector(sql, { projections: [counterProjection({ name: process.argv[3] ?? 'counter' })], batchSize: 20, leaseMs: 1000, pollMs: 100, owner: 'child' });
process.stdout.write('ready\n');
