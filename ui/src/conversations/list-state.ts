import { dayRange, type ConversationSummary, type Filters } from './api.js';

const time = (iso: string | null) => (iso ? Date.parse(iso) : Number.NEGATIVE_INFINITY);

/** The server's order: newest activity first, then session id. */
export const newestFirst = (a: ConversationSummary, b: ConversationSummary): number =>
  time(b.lastActivityAt) - time(a.lastActivityAt) || (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0);

/**
 * Whether a conversation belongs in the list under these filters, when that can be told here:
 * status, project and dates can, but a search needs the server (it reads every message).
 */
export function matchesLocally(c: ConversationSummary, filters: Filters): boolean {
  if (filters.status && c.status !== filters.status) return false;
  if (filters.project && c.project !== filters.project) return false;
  if (filters.host && !c.hosts?.includes(filters.host)) return false;
  const { from, to } = dayRange(filters);
  const at = time(c.lastActivityAt);
  if (from && at < from.getTime()) return false;
  if (to && at >= to.getTime()) return false;
  return c.lastActivityAt !== null;
}

/**
 * The list with this conversation put (or kept) in its place by its latest activity. One that
 * now sorts after the last loaded row while more pages remain is left for "load more" to bring,
 * where it will be in order.
 */
export function upsert(items: ConversationSummary[], c: ConversationSummary, complete: boolean): ConversationSummary[] {
  const rest = items.filter((item) => item.sessionId !== c.sessionId);
  let at = rest.findIndex((item) => newestFirst(c, item) < 0);
  if (at === -1) {
    if (!complete) return rest;
    at = rest.length;
  }
  return [...rest.slice(0, at), c, ...rest.slice(at)];
}

/** Appends a further page, dropping rows already shown (a conversation that moved up while paging). */
export function appendPage(items: ConversationSummary[], page: ConversationSummary[]): ConversationSummary[] {
  const shown = new Set(items.map((item) => item.sessionId));
  return [...items, ...page.filter((item) => !shown.has(item.sessionId))];
}
