import type { StoredEvent } from '../../core/events.js';
import type { DocProjection } from '../../projections/projection.js';

export interface Counted {
  count: number;
  positions: number[];
}

/**
 * A projection whose documents record every position applied to them: applying an event
 * twice, or skipping one, shows in the document. `poison` makes chosen events throw.
 */
export interface CounterOptions {
  name?: string;
  version?: number;
  poison?: (event: StoredEvent) => boolean;
  /** Split into this many partitions by session (its one key is the session). */
  partitions?: number;
}

export function counterProjection({ name = 'counter', version = 1, poison = () => false, partitions }: CounterOptions = {}): DocProjection<Counted> {
  return {
    name,
    version,
    perSessionKeys: true,
    ...(partitions === undefined ? {} : { partitions }),
    handles: (event) => !event.type.startsWith('transcript.'),
    keys: (event) => [event.sessionId],
    evolve(doc, event) {
      if (poison(event)) throw new Error(`poison event ${event.position}`);
      return { count: (doc?.count ?? 0) + 1, positions: [...(doc?.positions ?? []), event.position] };
    },
    index: (_doc, key) => ({ sessionId: key }),
  };
}
