import type { Sql } from 'postgres';

export interface GenerationStatus {
  generation: number;
  version: number;
  position: number;
  /** Events in the log after the checkpoint (committed or not yet visible), counted up to LAG_COUNT_CAP. */
  lag: number;
  status: string;
  lastError: string | null;
  owner: string | null;
  updatedAt: Date;
}

export interface ProjectionStatus extends GenerationStatus {
  name: string;
  /** Parked events not yet resolved. */
  parked: number;
  /** The generation a rebuild is filling, if any. */
  building: GenerationStatus | null;
}

/**
 * Health is open and polled; counting a huge backlog on every call would cost it a scan of
 * the backlog, so lag is counted up to this and reported as this beyond it.
 */
export const LAG_COUNT_CAP = 100_000;

interface Row {
  name: string;
  generation: number;
  code_version: number;
  position: number;
  lag: number;
  status: string;
  last_error: string | null;
  owner: string | null;
  updated_at: Date;
  building: boolean;
  parked: number;
}

/** Every projection's serving generation (and rebuild, if one runs), with lag and parked counts. */
export async function projectionStatus(sql: Sql): Promise<ProjectionStatus[]> {
  const rows = await sql<Row[]>`
    select c.name, c.generation, c.code_version, c.position, c.status, c.last_error, c.owner, c.updated_at,
           c.generation = p.building_generation as building,
           (select count(*) from (select 1 from arrakis.events e
             where (e.transaction_id, e.position) > (c.transaction_id, c.position) limit ${LAG_COUNT_CAP}) behind)::int as lag,
           (select count(*) from arrakis.projection_parked k
             where k.name = c.name and k.generation = c.generation and k.resolved_at is null)::int as parked
      from arrakis.projection_checkpoints c
      join arrakis.projections p on p.name = c.name
     where c.generation in (p.active_generation, coalesce(p.building_generation, p.active_generation))
     order by c.name, c.generation`;
  const generation = (r: Row): GenerationStatus => ({
    generation: r.generation,
    version: r.code_version,
    position: r.position,
    lag: r.lag,
    status: r.status,
    lastError: r.last_error,
    owner: r.owner,
    updatedAt: r.updated_at,
  });
  return rows
    .filter((r) => !r.building)
    .map((r) => {
      const building = rows.find((b) => b.building && b.name === r.name);
      return { name: r.name, ...generation(r), parked: r.parked, building: building ? generation(building) : null };
    });
}
