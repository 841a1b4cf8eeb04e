import type { Sql } from 'postgres';
import type { DocProjection } from '../projection.js';
import { partitionsCaughtUp } from './registry.js';
import { indexTable } from './tables.js';

/** With the projection's name hashed into the second key: one build per projection at a time, any number side by side. */
const INDEX_LOCK = 7_411_734;

/**
 * Builds a caught-up rebuild's indexes, side tables and rollups before it asks to swap in.
 * swapIn does the same under the registry lock, which every projection's swap takes: there,
 * one projection's build over millions of documents (the messages': 37 s at 5M events) holds
 * every other caught-up rebuild back. Here builds of different projections run side by side,
 * and beside the folding of those still catching up; swapIn then finds them built and only
 * looks (tables.ts `indexTable`).
 *
 * A partitioned generation is indexed only once all its partitions are within `tolerance`
 * of each other: the build blocks writes to the table, so the others would wait on it.
 * Returns whether it indexed; the caller folds what arrived meanwhile before it swaps in.
 */
export async function indexAhead(sql: Sql, projection: DocProjection<object>, generation: number, { tolerance = 0 } = {}): Promise<boolean> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${INDEX_LOCK}, hashtext(${projection.name}))`;
    const [row] = await tx<{ building: boolean }[]>`
      select building_generation = ${generation} as building from arrakis.projections where name = ${projection.name}`;
    if (!row?.building || !(await partitionsCaughtUp(tx, projection.name, generation, tolerance))) return false;
    await indexTable(tx, projection, generation);
    return true;
  });
}
