import type { Sql, TransactionSql } from 'postgres';
import type { z } from 'zod';
import { REBUILD_REQUESTED, rebuildRequestedSchema } from '../../core/admin-events.js';
import type { Logger } from '../../core/log.js';
import type { DocProjection } from '../projection.js';
import { rebuildWithin } from './registry.js';

/**
 * Rebuilds asked for through the API arrive as `arrakis.rebuild_requested` events: the
 * server may only append to the log, the projector owns the tables. Each projection has a
 * control checkpoint (arrakis.projection_control, see migration 003), so a projector reads
 * only the requests for the projections it runs and leaves the others' to the projectors
 * that run them; a request no running projector can serve waits in the log.
 *
 * Acting on a request is exactly-once: the rebuild (rebuildWithin) and the checkpoint move
 * commit in one transaction, under a lock on the projection's control row that a second
 * projector skips rather than waits for. It re-reads the requests once it holds the lock,
 * so what another projector has just acted on is gone from its view. A row starts at the
 * head of the log (migration 003 says why), so a fresh start replays no old request.
 */
export interface Control {
  /** Acts on the requests readable now; answers how many projections it started rebuilding. */
  poll(): Promise<number>;
}

export interface ControlOptions {
  projections: readonly DocProjection<object>[];
  logger: Logger;
  limit?: number;
}

type RebuildRequest = z.infer<typeof rebuildRequestedSchema> & { position: number };

type Outcome =
  | { kind: 'none' }
  /** Left for a projector running a newer version of the projection. */
  | { kind: 'deferred'; position: number }
  /** The checkpoint moved past these requests; generation is null when none was valid. */
  | { kind: 'acted'; generation: number | null; requests: RebuildRequest[] };

interface RequestRow {
  transaction_id: string;
  position: number;
  payload: unknown;
}

/**
 * Joins a control row `c` to the rebuild requests `e` after its checkpoint, by readAfter's
 * rule (only transactions below the snapshot's xmin, read in (transaction_id, position)
 * order), so a request whose transaction commits late is not skipped.
 */
const after = (sql: Sql | TransactionSql) => (sql as Sql)`
  e.type = ${REBUILD_REQUESTED} and e.payload->>'projection' = c.name
  and e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  and (e.transaction_id, e.position) > (c.transaction_id, c.position)`;

export async function startControl(sql: Sql, { projections, logger, limit = 1000 }: ControlOptions): Promise<Control> {
  const byName = new Map(projections.map((p) => [p.name, p]));
  const names = [...byName.keys()];
  // Called before the projections are registered: the API accepts requests only for
  // registered names, so every request it accepts comes after its row's starting point.
  if (names.length > 0) await sql`insert into arrakis.projection_control ${sql(names.map((name) => ({ name })))} on conflict (name) do nothing`;
  const deferred = new Set<number>();

  async function newestVersion(tx: TransactionSql, name: string): Promise<number> {
    const [row] = await tx<{ newest: number }[]>`
      select coalesce(max(c.code_version), 0)::int as newest from arrakis.projection_checkpoints c
        join arrakis.projections p on p.name = c.name
       where c.name = ${name} and c.generation in (p.active_generation, p.building_generation)`;
    return row!.newest;
  }

  async function actOn(projection: DocProjection<object>): Promise<Outcome> {
    return sql.begin(async (tx): Promise<Outcome> => {
      const [locked] = await tx`select 1 from arrakis.projection_control where name = ${projection.name} for update skip locked`;
      if (!locked) return { kind: 'none' };
      const requests = await tx<RequestRow[]>`
        select e.transaction_id::text as transaction_id, e.position, e.payload
          from arrakis.projection_control c join arrakis.events e on ${after(tx)}
         where c.name = ${projection.name}
         order by e.transaction_id, e.position
         limit ${limit}`;
      const last = requests.at(-1);
      if (!last) return { kind: 'none' };
      // A newer version of this projection is registered: a rebuild with this older code
      // would replace its generation. The projector running the newer code acts instead.
      if ((await newestVersion(tx, projection.name)) > projection.version) return { kind: 'deferred', position: last.position };
      const valid = requests.flatMap((r): RebuildRequest[] => {
        const parsed = rebuildRequestedSchema.safeParse(r.payload);
        if (parsed.success) return [{ ...parsed.data, position: r.position }];
        logger.warn('ignored a malformed rebuild request', { projection: projection.name, position: r.position });
        return [];
      });
      // Requests read together are one rebuild: a fresh one unless every one only asked to resume.
      const generation = valid.length > 0 ? await rebuildWithin(tx, projection, { resume: valid.every((r) => r.resume === true) }) : null;
      await tx`update arrakis.projection_control
                 set transaction_id = ${last.transaction_id}::xid8, position = ${last.position}, updated_at = now()
               where name = ${projection.name}`;
      return { kind: 'acted', generation, requests: valid };
    });
  }

  async function handle(projection: DocProjection<object>): Promise<boolean> {
    const outcome = await actOn(projection);
    if (outcome.kind === 'deferred' && !deferred.has(outcome.position)) {
      deferred.add(outcome.position);
      logger.info('left a rebuild request to a projector with newer code', { projection: projection.name, position: outcome.position });
    }
    if (outcome.kind !== 'acted' || outcome.generation === null) return false;
    const by = outcome.requests.map((r) => ({ position: r.position, by: r.by, requestId: r.requestId, resume: r.resume ?? false }));
    logger.info('rebuild requested through the log', { projection: projection.name, generation: outcome.generation, requests: by });
    return true;
  }

  return {
    async poll() {
      // A cheap read first: most passes find nothing, and then take no lock and write nothing.
      const pending = await sql<{ name: string }[]>`
        select distinct c.name from arrakis.projection_control c join arrakis.events e on ${after(sql)}
         where c.name = any(${names})`;
      let started = 0;
      const failures: unknown[] = [];
      for (const { name } of pending) {
        await handle(byName.get(name)!).then((rebuilt) => (started += rebuilt ? 1 : 0), (error: unknown) => failures.push(error));
      }
      if (failures.length > 0) throw failures[0];
      return started;
    },
  };
}
