import type { Sql } from 'postgres';
import { BadRequestError } from './errors.js';
import { eventColumns, readAt, START, toStoredEvent, type Checkpoint } from './event-store.js';
import type { StoredEvent } from './events.js';

/** One event as the log inspector (`GET /api/events`) shows it. */
export interface LoggedEvent {
  position: number;
  /** The appending transaction: with `position`, the order events are listed in. */
  transactionId: string;
  requestId: string;
  type: string;
  sessionId: string;
  receivedAt: string;
  capturedAt: string;
  client: StoredEvent['client'];
  /** Exactly what was appended, including characters jsonb cannot hold. */
  payload: unknown;
}

export interface EventListOptions {
  /** `asc` (the default) pages with `after`; `desc` lists newest first and pages with `before`. */
  order?: 'asc' | 'desc';
  /** The position of the last event already seen; 0 or absent to start at the beginning. */
  after?: number | null;
  /** Newest first only: events below this position; absent to start at the newest. */
  before?: number | null;
  limit?: number;
  type?: string | null;
  sessionId?: string | null;
  requestId?: string | null;
  /** On received_at: from ≤ receivedAt < to. */
  from?: Date | null;
  to?: Date | null;
}

export interface EventPage {
  items: LoggedEvent[];
  /**
   * Ascending: pass as `after` for the next page: the last item's position, else `after`
   * again (null if none). Newest first: pass as `before`: the last item's position while
   * pages come full, null once the oldest matching event was listed.
   */
  next: number | null;
}

export function loggedEvent(event: StoredEvent): LoggedEvent {
  return {
    position: event.position,
    transactionId: event.transactionId,
    requestId: event.requestId,
    type: event.type,
    sessionId: event.sessionId,
    receivedAt: event.receivedAt.toISOString(),
    capturedAt: event.capturedAt.toISOString(),
    client: event.client,
    // payload_json is kept only when jsonb had to alter the text; it is valid JSON text.
    payload: event.payloadJson === null ? event.payload : JSON.parse(event.payloadJson),
  };
}

/** Where the event at `after` sits in the log's (transaction_id, position) order. */
async function cursorAt(sql: Sql, after: number): Promise<Checkpoint> {
  if (after === 0) return START;
  const [row] = await sql<{ transaction_id: string }[]>`
    select transaction_id::text as transaction_id from arrakis.events where position = ${after}`;
  if (!row) throw new BadRequestError(`no event at position ${after}`, [{ path: 'after', message: 'not the position of a stored event' }]);
  return { transactionId: row.transaction_id, position: after };
}

/**
 * The filters both orders share. Time is received_at, the server's clock when the event
 * was appended: captured_at is the client's clock (a spooled event arrives hours late, a
 * skewed laptop lies), and received_at follows the log's order closely enough to find
 * "what arrived between 10:00 and 10:05".
 */
function filters(sql: Sql, options: EventListOptions) {
  return sql`
    ${options.type ? sql`and e.type = ${options.type}` : sql``}
    ${options.sessionId ? sql`and e.session_id = ${options.sessionId}` : sql``}
    ${options.requestId ? sql`and e.request_id = ${options.requestId}` : sql``}
    ${options.from ? sql`and e.received_at >= ${options.from}` : sql``}
    ${options.to ? sql`and e.received_at < ${options.to}` : sql``}`;
}

const clampLimit = (limit: number | undefined) => Math.min(Math.max(limit ?? 100, 1), 1000);

/**
 * The log inspector's page: events after the event at `after`, in the log's commit-safe
 * order, (transaction_id, position), the order projectors read it in (readAfter); or, with
 * `order: 'desc'`, newest first by position (listNewestFirst).
 *
 * Not plain position order, because that cannot be paged without skipping: a position is
 * taken when a row is inserted, but transactions commit in any order, so a committed row
 * can have a larger position than a row still in flight. Nothing a reader can query bounds
 * the positions that in-flight transactions hold (their rows are invisible, and positions
 * are not dense: a duplicate's insert and a rolled-back append burn numbers too), so a page
 * ending at position p cannot know that no smaller position will commit later.
 *
 * (transaction_id, position) can be paged: only rows from transactions older than every
 * transaction still running are returned (transaction_id < the snapshot's xmin). Any row
 * not returned yet either is in the page's future already or belongs to a transaction at or
 * past that xmin, which sorts after every row returned. So each committed event is listed
 * exactly once, an event whose transaction commits late merely holding its successors
 * back. Positions within a page increase except where appending transactions overlapped.
 *
 * `after` stays a position, as clients know events by position: it is resolved to that
 * event's place in the order, so it must be 0 or the position of a stored event (one from
 * this endpoint's items or `next`, or from the ingest answer).
 */
export async function listEvents(sql: Sql, options: EventListOptions = {}): Promise<EventPage> {
  if (options.order === 'desc') return listNewestFirst(sql, options);
  const limit = clampLimit(options.limit);
  const cursor = await cursorAt(sql, options.after ?? 0);
  const rows = await sql<Parameters<typeof toStoredEvent>[0][]>`
    select ${eventColumns(sql)}
      from arrakis.events e
     where e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       and (e.transaction_id, e.position) > (${cursor.transactionId}::xid8, ${cursor.position})
       ${filters(sql, options)}
     -- Qualified: the bare name would sort by the text alias, putting xid 1000 before 999.
     order by e.transaction_id, e.position
     limit ${limit}`;
  const items = rows.map((row) => loggedEvent(toStoredEvent(row)));
  return { items, next: items.at(-1)?.position ?? options.after ?? null };
}

/**
 * Newest first, by plain position, paged with `before`: a view to browse, not a feed to
 * consume. Paging down lists each event once, every event committed before the first page
 * was read included. One committing later shows up on a later page if its position is below
 * where paging has got to, and otherwise only through the live stream, which is how the
 * inspector's tail adds it: the xmin rule would close that gap only by holding every page
 * back to the oldest running transaction, which a view has no need of. `before` can be any
 * position (no lookup, no 400 for a position a duplicate burnt).
 */
async function listNewestFirst(sql: Sql, options: EventListOptions): Promise<EventPage> {
  const limit = clampLimit(options.limit);
  const rows = await sql<Parameters<typeof toStoredEvent>[0][]>`
    select ${eventColumns(sql)}
      from arrakis.events e
     where true
       ${options.before ? sql`and e.position < ${options.before}` : sql``}
       ${filters(sql, options)}
     order by e.position desc
     limit ${limit}`;
  const items = rows.map((row) => loggedEvent(toStoredEvent(row)));
  return { items, next: items.length === limit ? items.at(-1)!.position : null };
}

/** One event by position, or null. */
export async function getEvent(sql: Sql, position: number): Promise<LoggedEvent | null> {
  const event = await readAt(sql, position);
  return event ? loggedEvent(event) : null;
}
