import type { Sql } from '../core/db.js';
import type { Projector } from '../projections/engine/projector.js';
import { projectionStatus } from '../projections/engine/status.js';
import { allProjections } from '../projections/index.js';

/**
 * Waits until every projection serves the generation asked for (a rebuild swapped in). Asks
 * the registry, not the status with its lag counts: the wait is no part of the rebuild timed.
 */
export async function untilServing(sql: Sql, projector: Projector, generations: Map<string, number>): Promise<void> {
  for (;;) {
    await projector.settled();
    const serving = await sql<{ name: string; active_generation: number }[]>`select name, active_generation from arrakis.projections`;
    if (allProjections.every((p) => serving.find((s) => s.name === p.name)?.active_generation === generations.get(p.name))) return;
  }
}

/** Waits until every projection's serving generation has folded the whole log. */
export async function untilCaughtUp(sql: Sql, projector: Projector): Promise<void> {
  for (;;) {
    await projector.settled();
    const status = await projectionStatus(sql);
    if (status.length === allProjections.length && status.every((s) => s.lag === 0 && s.building === null)) return;
  }
}

/** Bytes on disk of the log, and of the serving generations with their side tables (not the one a rebuild keeps for a rollback). */
export async function sizes(sql: Sql) {
  const [row] = await sql<{ events: string; projections: string }[]>`
    select pg_total_relation_size('arrakis.events')::text as events,
           (select coalesce(sum(pg_total_relation_size(c.oid)), 0)
              from pg_class c
              join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'arrakis'
              join arrakis.projections p
                on c.relname = 'proj_' || p.name || '_g' || p.active_generation
                or starts_with(c.relname, 'proj_' || p.name || '_g' || p.active_generation || '__')
             where c.relkind = 'r')::text as projections`;
  return { events: Number(row!.events), projections: Number(row!.projections) };
}
