import { createHash } from 'node:crypto';
import type { Sql } from 'postgres';
import { z } from 'zod';
import type { StoredEvent } from '../../core/events.js';
import type { DocProjection } from '../projection.js';

/**
 * Partitioned slots. A projection whose every document belongs to one session (it says so
 * with `perSessionKeys: true`) may be folded by K slots at once: slot k of a generation
 * applies only the events whose session hashes to k, and each slot has its own checkpoint,
 * lease and fencing token (a checkpoint row, projection_checkpoints.partition). Every slot
 * still reads the whole log and moves its checkpoint over the events of the others, so the
 * order within a session is the log's and a slot that dies is taken over from its own
 * checkpoint. K is fixed when a generation is created (projection_checkpoints.partitions):
 * a different K takes effect with the next rebuild.
 */
export const MAX_PARTITIONS = 64;

/**
 * The first 32 bits of the MD5 of the session id (UTF-8), unsigned: stable across processes,
 * machines and Postgres versions, and the same in SQL (sqlPartitionOf), so a partition's
 * read leaves the other partitions' payloads in the database (partition-read.ts).
 */
const hashes = new Map<string, number>();
export function sessionHash(sessionId: string): number {
  let hash = hashes.get(sessionId);
  if (hash === undefined) {
    if (hashes.size >= 10_000) hashes.clear();
    hash = createHash('md5').update(sessionId).digest().readUInt32BE(0);
    hashes.set(sessionId, hash);
  }
  return hash;
}

export const partitionOf = (sessionId: string, partitions: number): number => (partitions <= 1 ? 0 : sessionHash(sessionId) % partitions);

/** partitionOf in SQL, of a text column or expression. */
export const sqlPartitionOf = (sql: Sql, column: ReturnType<Sql>, partitions: number) =>
  sql`((('x' || substr(md5(${column}), 1, 8))::bit(32)::bigint % ${partitions})::int)`;

/** The partitions a projection asks for (1 unless it says otherwise). */
export const partitionsOf = (projection: DocProjection<object>): number => projection.partitions ?? 1;

/** Refuses, with what to do instead, a partition count the projection cannot have. */
export function assertPartitionable(projection: DocProjection<object>): void {
  const k = partitionsOf(projection);
  if (!Number.isInteger(k) || k < 1 || k > MAX_PARTITIONS) {
    throw new Error(`projection ${projection.name}: partitions must be a whole number from 1 to ${MAX_PARTITIONS}, not ${k}`);
  }
  if (k > 1 && projection.perSessionKeys !== true) {
    throw new Error(
      `projection ${projection.name} cannot be split into ${k} partitions: partitions are by session, and only a projection ` +
        `whose every document key belongs to the event's session may be split (it declares perSessionKeys: true). ` +
        `Leave ${projection.name} at 1 partition.`,
    );
  }
}

/**
 * Partition `index` of `partitions` of a projection: it handles only the events of its
 * sessions. Everything else (keys, evolve, index, ddl) is the projection's own.
 */
export function partitionView(projection: DocProjection<object>, index: number, partitions: number): DocProjection<object> {
  if (partitions <= 1) return projection;
  const mine = (event: StoredEvent) => partitionOf(event.sessionId, partitions) === index;
  return { ...projection, handles: (event) => mine(event) && projection.handles(event) };
}

const overridesSchema = z
  .string()
  .trim()
  .transform((text) => (text === '' ? [] : text.split(',').map((part) => part.trim())))
  .pipe(
    z.array(
      z
        .string()
        .regex(/^[a-z][a-z0-9_]*=\d+$/, 'each entry is NAME=K, e.g. messages=4')
        .transform((entry) => {
          const [name, k] = entry.split('=') as [string, string];
          return [name, Number(k)] as const;
        }),
    ),
  );

/**
 * `ARRAKIS_PARTITIONS=messages=4,sidechains=2`: partition counts that override the
 * projections' own, parsed at startup. Throws, naming the variable, on a malformed value
 * or an unknown projection; the counts themselves are checked by assertPartitionable.
 */
export function partitionOverrides(value: string | undefined, known: readonly string[]): Map<string, number> {
  if (value === undefined) return new Map();
  const parsed = overridesSchema.safeParse(value);
  if (!parsed.success) throw new Error(`ARRAKIS_PARTITIONS=${value}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const overrides = new Map(parsed.data);
  const unknown = [...overrides.keys()].filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new Error(`ARRAKIS_PARTITIONS names no projection ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return overrides;
}

/** The projections with ARRAKIS_PARTITIONS applied and every partition count checked. */
export function configurePartitions<P extends DocProjection<object>>(projections: readonly P[], env: NodeJS.ProcessEnv = process.env): P[] {
  const overrides = partitionOverrides(env.ARRAKIS_PARTITIONS, projections.map((p) => p.name));
  const configured = projections.map((p) => (overrides.has(p.name) ? { ...p, partitions: overrides.get(p.name)! } : p));
  configured.forEach(assertPartitionable);
  return configured;
}
