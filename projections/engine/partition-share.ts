import type { Sql } from 'postgres';
import type { SlotInfo } from './registry.js';
import { sessionHash } from './partitions.js';

/**
 * Which partitions of the partitioned slots this process runs. Every projector running a
 * partitioned projection renews a row in arrakis.projector_processes on its bookkeeping beat
 * (alive for a lease's length); the partitions of each generation are dealt round-robin over
 * the live processes running that projection, in the order of their names, so two processes
 * share four partitions two and two. Processes may disagree for a beat while one joins or
 * leaves: the leases decide meanwhile (a partition is only ever folded by its lease holder),
 * and one no longer dealt to this process is handed back so that its new holder claims it.
 */
export interface PartitionShare {
  /** Renews this process's row and learns who else is alive; only when a partitioned slot exists. */
  refresh(slots: readonly SlotInfo[]): Promise<void>;
  /** Whether this process should hold the slot's lease now (always, for a slot not split). */
  mine(slot: SlotInfo): boolean;
  /** Removes this process's row: the others deal its partitions among themselves at once. */
  leave(): Promise<void>;
}

export function dealPartition(owners: readonly string[], name: string, generation: number, partition: number): string | undefined {
  if (owners.length === 0) return undefined;
  // Offset by the projection, so each process's first partitions are not always the same ones.
  return owners[(partition + sessionHash(`${name}:${generation}`)) % owners.length];
}

/** `eager`: this process is configured to split a projection, so it says it is there before any partitioned slot exists. */
export function createPartitionShare(sql: Sql, owner: string, projections: readonly string[], aliveMs: number, { eager = false } = {}): PartitionShare {
  let live = new Map<string, string[]>();
  let joined = eager;
  return {
    async refresh(slots) {
      if (!joined && !slots.some((s) => s.partitions > 1)) return;
      joined = true;
      const rows = await sql<{ owner: string; projections: string[] }[]>`
        with me as (
          insert into arrakis.projector_processes (owner, projections, alive_until)
          values (${owner}, ${projections as string[]}, now() + ${aliveMs} * interval '1 millisecond')
          on conflict (owner) do update set projections = excluded.projections, alive_until = excluded.alive_until
          returning owner, projections),
        -- The rows of processes that died rather than stopped, long lapsed, go.
        gone as (delete from arrakis.projector_processes where alive_until < now() - interval '1 day')
        select owner, projections from me
        union
        select owner, projections from arrakis.projector_processes where alive_until >= now() and owner <> ${owner}`;
      const next = new Map<string, string[]>();
      for (const row of [...rows].sort((a, b) => (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0))) {
        for (const name of row.projections) next.set(name, [...(next.get(name) ?? []), row.owner]);
      }
      live = next;
    },
    mine(slot) {
      if (slot.partitions <= 1) return true;
      const owners = live.get(slot.name);
      // Not known yet (the first beat): run it; the leases keep it to one holder.
      if (!owners || !owners.includes(owner)) return true;
      return dealPartition(owners, slot.name, slot.generation, slot.partition) === owner;
    },
    async leave() {
      if (joined) await sql`delete from arrakis.projector_processes where owner = ${owner}`;
    },
  };
}
