import { isAdminEvent } from '../core/admin-events.js';
import type { StoredEvent } from '../core/events.js';

/**
 * A document projection, Marten/Emmett style: each event changes one or more documents
 * (JSON objects) identified by key, through a pure `evolve`. The engine (projections/engine/)
 * loads the documents a batch touches, folds the batch's events into them in log order,
 * and writes them back with the checkpoint in one transaction.
 *
 * Documents live in `arrakis.proj_<name>_v<version>`:
 *   key text primary key, session_id text, at timestamptz, seq bigint, doc jsonb,
 *   first_position bigint, last_position bigint
 * Queries read the view `arrakis.proj_<name>`, which points at the active version, so a
 * rebuild into the next version swaps in without downtime.
 */
export interface Indexed {
  /** The conversation the document belongs to, if any (indexed, for per-session queries). */
  sessionId?: string | null;
  /** The document's time for ordering (ISO-8601), if any (indexed). */
  at?: string | null;
  /** A tiebreak or secondary order, e.g. the position of the first event (indexed with `at`). */
  seq?: number | null;
}

export interface DocProjection<D extends object = Record<string, unknown>> {
  /** Lowercase letters, digits and underscores: it becomes part of table names. */
  name: string;
  /** Bump when evolve or the document shape changes: the engine rebuilds into fresh tables. */
  version: number;
  /** Cheap filter: events it does not handle are never given to keys/evolve. */
  handles(event: StoredEvent): boolean;
  /** The keys of the documents this event changes (often one; none to ignore the event). */
  keys(event: StoredEvent): string[];
  /**
   * Pure: the document after `event`. `doc` is undefined the first time `key` is seen.
   * Must not mutate `doc`, must not do I/O, and must tolerate events arriving late
   * (a parked event retried after later ones were applied) and repeated.
   */
  evolve(doc: D | undefined, event: StoredEvent, key: string): D;
  /** Values copied out of the document into indexed columns. */
  index?(doc: D, key: string): Indexed;
  /**
   * Extra DDL for this projection's table (e.g. an expression index); `table` is schema-qualified.
   * Run once per generation, in the transaction that builds its indexes (engine/tables.ts
   * `indexTable`; a rebuild's before its swap, engine/index-ahead.ts).
   */
  ddl?(table: string): string[];
  /**
   * Every document key belongs to the event's session: the events of one session never
   * change a document another session's events change. Only such a projection may be split
   * into partitions (engine/partitions.ts), which the engine refuses otherwise.
   */
  perSessionKeys?: boolean;
  /**
   * Slots folding this projection at once, each taking the sessions hashed to it (default 1;
   * ARRAKIS_PARTITIONS overrides it). Fixed per generation: a change takes effect with the next rebuild.
   */
  partitions?: number;
}

/** Applies events to documents the way the engine does, in memory: for given/when/then tests. */
export function fold<D extends object>(projection: DocProjection<D>, events: readonly StoredEvent[], docs = new Map<string, D>()): Map<string, D> {
  for (const event of events) {
    if (isAdminEvent(event) || !projection.handles(event)) continue;
    for (const key of projection.keys(event)) docs.set(key, projection.evolve(docs.get(key), event, key));
  }
  return docs;
}
