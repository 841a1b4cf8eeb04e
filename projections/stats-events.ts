import type { StoredEvent } from '../core/events.js';
import { isoOf } from './times.js';

/** `events:<day>:<type>`: how many events of one type were captured on one UTC day, and how late they arrived. */
export interface EventsDoc {
  kind: 'events';
  day: string;
  type: string;
  /** Also the number of delays summed: every event has one. */
  count: number;
  delay: { sumMs: number; maxMs: number };
}

export const dayOf = (at: Date): string => isoOf(at).slice(0, 10);

export const eventsKey = (event: StoredEvent): string => `events:${dayOf(event.capturedAt)}:${event.type}`;

export function evolveEvents(doc: EventsDoc | undefined, event: StoredEvent): EventsDoc {
  // A client clock running ahead of the server's makes the difference negative: skew, not speed.
  const delayMs = Math.max(0, event.receivedAt.getTime() - event.capturedAt.getTime());
  const before: EventsDoc = doc ?? { kind: 'events', day: dayOf(event.capturedAt), type: event.type, count: 0, delay: { sumMs: 0, maxMs: 0 } };
  return {
    ...before,
    count: before.count + 1,
    delay: { sumMs: before.delay.sumMs + delayMs, maxMs: Math.max(before.delay.maxMs, delayMs) },
  };
}
