import { createKeyFilter } from './key-filter.js';

/** A document as stored in a generation's table. */
export interface DocRow {
  key: string;
  doc: object;
  first_position: number;
}

/**
 * The documents a runner wrote itself, so the next batch need not read them back. It is
 * only sound while the runner holds its lease without a break and every write it made
 * committed: the runner resets it whenever either is in doubt.
 *
 * When the runner took the slot at the very start of the log, the table was empty, so a
 * key it never wrote cannot exist: `lookup` answers null ("absent") without asking the
 * database. That is what makes a rebuild write-only. Evicted keys are remembered in a
 * filter (key-filter.ts), a byte or so a key, so that knowledge holds for any number of
 * documents: kept as a Set of up to a million keys, it was dropped a third of the way into a
 * 5M-event rebuild of the messages (2.8M documents), and every new key was then looked up.
 */
export interface DocCache {
  /** The document, null when it certainly does not exist, undefined when unknown. */
  lookup(key: string): DocRow | null | undefined;
  remember(rows: readonly DocRow[]): void;
  /** Forgets everything; `fromEmptyTable` when the table is known to hold nothing yet. */
  reset(fromEmptyTable?: boolean): void;
}

export function createDocCache({ maxDocs = 5_000 } = {}): DocCache {
  const docs = new Map<string, DocRow>();
  const evicted = createKeyFilter();
  let complete = false;

  return {
    lookup(key) {
      const row = docs.get(key);
      if (row) return row;
      return complete && !evicted.mayHave(key) ? null : undefined;
    },
    remember(rows) {
      for (const row of rows) {
        // Re-inserting moves the key to the end, so eviction drops the least recently written.
        docs.delete(row.key);
        docs.set(row.key, row);
      }
      for (const key of docs.keys()) {
        if (docs.size <= maxDocs) break;
        docs.delete(key);
        if (complete) evicted.add(key);
      }
    },
    reset(fromEmptyTable = false) {
      docs.clear();
      evicted.clear();
      complete = fromEmptyTable;
    },
  };
}
