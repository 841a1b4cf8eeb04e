import type { Sql } from 'postgres';

/** One partition's slot of a generation (partitions.ts): its own checkpoint, lease and lag. */
export interface PartitionStatus {
  partition: number;
  position: number;
  lag: number;
  status: string;
  lastError: string | null;
  owner: string | null;
  updatedAt: Date;
}

/**
 * A generation's figures. Split into partitions, its position is the lowest partition's,
 * its lag the highest, its status the worst, its owners every owner (comma-separated).
 */
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
  /** Each partition's slot, by partition; one entry when the generation is not split. */
  partitions: PartitionStatus[];
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
  partition: number;
}

const severity = (status: string) => (status === 'running' ? 0 : status === 'starting' ? 1 : 2);

function generationOf(rows: readonly Row[]): GenerationStatus {
  const partitions = rows.map((r): PartitionStatus => ({
    partition: r.partition,
    position: r.position,
    lag: r.lag,
    status: r.status,
    lastError: r.last_error,
    owner: r.owner,
    updatedAt: r.updated_at,
  }));
  const first = rows[0]!;
  const worst = partitions.reduce((a, b) => (severity(b.status) > severity(a.status) ? b : a));
  const owners = [...new Set(partitions.map((p) => p.owner).filter((o): o is string => o !== null))];
  return {
    generation: first.generation,
    version: first.code_version,
    position: Math.min(...partitions.map((p) => p.position)),
    lag: Math.max(...partitions.map((p) => p.lag)),
    status: worst.status,
    lastError: worst.lastError ?? partitions.find((p) => p.lastError !== null)?.lastError ?? null,
    owner: owners.length === 0 ? null : owners.join(', '),
    updatedAt: new Date(Math.min(...partitions.map((p) => p.updatedAt.getTime()))),
    partitions,
  };
}

/** Every projection's serving generation (and rebuild, if one runs), with lag and parked counts, and each partition's. */
export async function projectionStatus(sql: Sql): Promise<ProjectionStatus[]> {
  const rows = await sql<Row[]>`
    select c.name, c.generation, c.partition, c.code_version, c.position, c.status, c.last_error, c.owner, c.updated_at,
           c.generation = p.building_generation as building,
           (select count(*) from (select 1 from arrakis.events e
             where (e.transaction_id, e.position) > (c.transaction_id, c.position) limit ${LAG_COUNT_CAP}) behind)::int as lag,
           (select count(*) from arrakis.projection_parked k
             where k.name = c.name and k.generation = c.generation and k.resolved_at is null)::int as parked
      from arrakis.projection_checkpoints c
      join arrakis.projections p on p.name = c.name
     where c.generation in (p.active_generation, coalesce(p.building_generation, p.active_generation))
     order by c.name, c.generation, c.partition`;
  const byGeneration = new Map<string, Row[]>();
  for (const r of rows) {
    const id = `${r.name}:${r.generation}`;
    byGeneration.set(id, [...(byGeneration.get(id) ?? []), r]);
  }
  const generations = [...byGeneration.values()];
  return generations
    .filter(([r]) => !r!.building)
    .map((serving) => {
      const building = generations.find(([b]) => b!.building && b!.name === serving[0]!.name);
      // The parked count is the generation's (every partition's row carries it).
      return { name: serving[0]!.name, ...generationOf(serving), parked: serving[0]!.parked, building: building ? generationOf(building) : null };
    });
}
