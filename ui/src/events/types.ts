/** One event as `GET /api/events` lists it. */
export interface LoggedEvent {
  position: number;
  transactionId: string;
  requestId: string;
  type: string;
  sessionId: string;
  receivedAt: string;
  capturedAt: string;
  client: unknown;
  payload: unknown;
}

export interface EventPage {
  items: LoggedEvent[];
  /** Newest first: pass as `before` for the next (older) page; null once the oldest was listed. */
  next: number | null;
}

/** Newest first, each position once, whatever order pages and live additions arrived in. */
export function mergeEvents(shown: readonly LoggedEvent[], added: readonly LoggedEvent[]): LoggedEvent[] {
  const byPosition = new Map(shown.map((event) => [event.position, event]));
  for (const event of added) byPosition.set(event.position, event);
  return [...byPosition.values()].sort((a, b) => b.position - a.position);
}
