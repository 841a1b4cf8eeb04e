import type { Sql } from 'postgres';
import type { Checkpoint } from '../../core/event-store.js';
import { readAfterHeld } from '../../core/read-after.js';
import type { StoredEvent } from '../../core/events.js';
import { readPartitionHeld, type Part } from './partition-read.js';

/** `part`: a partition's read, the other partitions' events without payload (partition-read.ts). */
export type ReadEvents = (from: Checkpoint, limit: number, part?: Part) => Promise<StoredEvent[]>;

export interface SharedReader {
  read: ReadEvents;
  /** New events were committed: reads started before now must not answer later questions. */
  invalidate(): void;
}

/**
 * At the head every slot of a projector sits at the same checkpoint and, after each append,
 * asks the log the same question at the same moment. One read in flight answers them all.
 * Sharing is sound because a snapshot-safe read can only grow later, never change: what it
 * returned is a prefix of any later answer. A read is shared only while it is in flight and
 * no wake-up came since it started, so a runner woken for an event never gets an answer
 * that was asked before the event committed. A read held back by an older transaction
 * (core/read-after.ts) tells `onRead`: the events it could not take yet are announced by nothing.
 */
export function createSharedReader(sql: Sql, { onRead = () => {} }: { onRead?: (held: boolean) => void } = {}): SharedReader {
  let inFlight = new Map<string, Promise<StoredEvent[]>>();
  return {
    read(from, limit, part) {
      const split = part !== undefined && part.partitions > 1;
      const key = `${from.transactionId}/${from.position}/${limit}${split ? `/${part.partition}:${part.partitions}` : ''}`;
      const pending = inFlight.get(key);
      if (pending) return pending;
      const map = inFlight;
      const read = (split ? readPartitionHeld(sql, from, limit, part) : readAfterHeld(sql, from, limit)).then(({ events, held }) => {
        onRead(held);
        return events;
      });
      map.set(key, read);
      const forget = () => {
        if (map.get(key) === read) map.delete(key);
      };
      read.then(forget, forget);
      return read;
    },
    invalidate() {
      inFlight = new Map();
    },
  };
}
