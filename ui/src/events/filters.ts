/** What the inspector narrows the log to; each field is empty when unused. `from`/`to` are ISO instants on receivedAt. */
export interface EventFilter {
  type: string;
  sessionId: string;
  requestId: string;
  from: string;
  to: string;
}

export const filterFields = ['type', 'sessionId', 'requestId', 'from', 'to'] as const;

/** The filter is the address: a filtered view can be bookmarked, shared and left with Back. */
export function filterOf(search: string): EventFilter {
  const params = new URLSearchParams(search);
  const value = (name: string) => params.get(name)?.trim() ?? '';
  return { type: value('type'), sessionId: value('sessionId'), requestId: value('requestId'), from: value('from'), to: value('to') };
}

export const sameFilter = (a: EventFilter, b: EventFilter) => filterFields.every((field) => a[field] === b[field]);

export const isFiltered = (filter: EventFilter) => filterFields.some((field) => filter[field] !== '');

/** `?positions=3,1,2` (a message's source events): the positions to show, or null when the page shows the log. */
export function positionsOf(search: string): number[] | null {
  const list = new URLSearchParams(search).get('positions');
  if (list === null) return null;
  const positions = list
    .split(',')
    .map((part) => Number(part.trim()))
    .filter((n) => Number.isSafeInteger(n) && n > 0);
  return [...new Set(positions)].sort((a, b) => b - a);
}

/** Whether an event announced by the live stream belongs in the filtered view. */
export function admits(filter: EventFilter, event: { type: string; sessionId: string; requestId: string; receivedAt: string }): boolean {
  if (filter.type && event.type !== filter.type) return false;
  if (filter.sessionId && event.sessionId !== filter.sessionId) return false;
  if (filter.requestId && event.requestId !== filter.requestId) return false;
  const at = Date.parse(event.receivedAt);
  if (filter.from && at < Date.parse(filter.from)) return false;
  if (filter.to && at >= Date.parse(filter.to)) return false;
  return true;
}

/** `datetime-local` inputs speak the browser's local time without a zone; the API wants instants. */
export function localInputValue(iso: string): string {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 19);
}

export function instantOf(localValue: string): string {
  const date = new Date(localValue);
  return localValue && !Number.isNaN(date.getTime()) ? date.toISOString() : '';
}
