import type { JSONValue, Sql, TransactionSql } from 'postgres';
import { isAdminEvent } from '../../core/admin-events.js';
import type { StoredEvent } from '../../core/events.js';
import type { DocProjection } from '../projection.js';
import type { DocCache, DocRow } from './doc-cache.js';
import { tableOf, updateOnConflict } from './tables.js';

/** A projection's own code threw: the event is poison for it, not the database's fault. */
export class EvolveError extends Error {
  constructor(readonly event: StoredEvent, cause: unknown) {
    super(`evolve failed on event ${event.position} (${event.type}): ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

function evolveAll(projection: DocProjection<object>, key: string, doc: object | undefined, events: readonly StoredEvent[]): object {
  let current = doc;
  for (const event of events) {
    try {
      current = projection.evolve(current, event, key);
    } catch (error) {
      throw new EvolveError(event, error);
    }
  }
  return current!;
}

export interface Folded {
  rows: Array<{ key: string; session_id: string | null; at: string | null; seq: number | null; doc: JSONValue; first_position: number; last_position: number }>;
  /** The sessions whose documents changed, for the change notification. */
  sessions: Set<string>;
}

/**
 * Folds a batch into the documents it touches, in log order: at most one SELECT, for the
 * existing documents the cache does not know, whatever the batch size. Arrakis' own events
 * (admin requests) are not captures and no projection sees them. Null when the batch
 * touches no document.
 */
export async function foldDocs(
  sql: Sql | TransactionSql,
  projection: DocProjection<object>,
  generation: number,
  events: readonly StoredEvent[],
  cache?: DocCache,
  /** Waited for before documents are read from the table: a write of them may be in flight. */
  beforeSelect?: () => Promise<unknown> | undefined,
): Promise<Folded | null> {
  const q = sql as Sql;
  const touched = new Map<string, StoredEvent[]>();
  for (const event of events) {
    if (isAdminEvent(event) || !projection.handles(event)) continue;
    for (const key of projection.keys(event)) {
      const list = touched.get(key);
      if (list) list.push(event);
      else touched.set(key, [event]);
    }
  }
  if (touched.size === 0) return null;
  const sessions = new Set<string>();
  const existing = new Map<string, DocRow>();
  const unknown: string[] = [];
  for (const key of touched.keys()) {
    const cached = cache?.lookup(key);
    if (cached) existing.set(key, cached);
    else if (cached === undefined) unknown.push(key);
  }
  if (unknown.length > 0) {
    await beforeSelect?.();
    const table = tableOf(projection.name, generation);
    for (const row of await q<DocRow[]>`select key, doc, first_position from ${q(table)} where key = any(${unknown})`) {
      existing.set(row.key, row);
    }
  }
  const rows = [...touched].map(([key, keyEvents]) => {
    const before = existing.get(key);
    const doc = evolveAll(projection, key, before?.doc, keyEvents);
    const index = projection.index?.(doc, key) ?? {};
    if (index.sessionId) sessions.add(index.sessionId);
    return {
      key,
      session_id: index.sessionId ?? null,
      at: index.at ?? null,
      seq: index.seq ?? null,
      doc: doc as JSONValue,
      first_position: before?.first_position ?? keyEvents[0]!.position,
      last_position: Math.max(...keyEvents.map((e) => e.position)),
    };
  });
  return { rows, sessions };
}

/** The folded documents, as the cache keeps them for the next batch. */
export function rememberFolded(cache: DocCache, folded: Folded | null): void {
  if (folded) cache.remember(folded.rows.map(({ key, doc, first_position }) => ({ key, doc: doc as object, first_position })));
}

/** One multi-row upsert of folded documents, inside the caller's transaction. */
export async function writeDocs(sql: Sql | TransactionSql, name: string, generation: number, { rows }: Folded): Promise<void> {
  const q = sql as Sql;
  const table = tableOf(name, generation);
  await q`insert into ${q(table)} ${q(rows)} ${updateOnConflict(q, table)}`;
}

/** Folds and writes one parked event on its own; the sessions changed, or null when no document changed. */
export async function applyToDocs(
  sql: Sql | TransactionSql,
  projection: DocProjection<object>,
  generation: number,
  events: readonly StoredEvent[],
): Promise<Set<string> | null> {
  const folded = await foldDocs(sql, projection, generation, events);
  if (!folded) return null;
  await writeDocs(sql, projection.name, generation, folded);
  return folded.sessions;
}
