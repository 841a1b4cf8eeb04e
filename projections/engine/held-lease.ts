import type { Sql } from 'postgres';
import type { Checkpoint } from '../../core/event-store.js';
import { claim, type Slot } from './slots.js';

export interface Owned {
  checkpoint: Checkpoint;
  /** Held without a break since the last known checkpoint, which is unchanged: what the runner remembers still holds. */
  unchanged: boolean;
}

/**
 * A runner's lease on its slot, known without asking while it is fresh. Every commit renews
 * the lease, so while at least half of it is left the last committed checkpoint is known: a
 * pass then costs a read, not an UPDATE and its flush. The checkpoint compare-and-set of
 * every commit still fences any mistake.
 */
export function createHeldLease(sql: Sql, slot: Slot, owner: string, leaseMs: number, now = Date.now) {
  let held: { checkpoint: Checkpoint; until: number } | null = null;
  const remember = (checkpoint: Checkpoint) => {
    held = { checkpoint, until: now() + leaseMs / 2 };
  };
  return {
    remember,
    /** In doubt (a commit failed, a write may or may not have landed): ask the database next time. */
    forget(): void {
      held = null;
    },
    /** The checkpoint this runner owns, claiming or renewing the lease when needed; null when another process holds it. */
    async own(): Promise<Owned | null> {
      if (held && now() < held.until) return { checkpoint: held.checkpoint, unchanged: true };
      const known = held?.checkpoint;
      held = null;
      const claimed = await claim(sql, slot, owner, leaseMs);
      if (!claimed) return null;
      const { checkpoint, continuous } = claimed;
      remember(checkpoint);
      const unchanged = continuous && known?.position === checkpoint.position && known.transactionId === checkpoint.transactionId;
      return { checkpoint, unchanged };
    },
  };
}
