import { location, navigate } from '../lib/router.js';
import type { Filters } from './api.js';

const names = ['q', 'project', 'host', 'status', 'from', 'to', 'sort'] as const;
// The order is not a filter: it narrows nothing.
const narrowing = names.filter((name) => name !== 'sort');

export function readFilters(search: string): Filters {
  const params = new URLSearchParams(search);
  const value = (name: (typeof names)[number]) => params.get(name)?.trim() ?? '';
  return { q: value('q'), project: value('project'), host: value('host'), status: value('status'), from: value('from'), to: value('to'), sort: value('sort') === 'cost' ? 'cost' : '' };
}

export const sameFilters = (a: Filters, b: Filters): boolean => names.every((name) => a[name] === b[name]);

export const anyFilter = (filters: Filters): boolean => narrowing.some((name) => filters[name] !== '');

/**
 * Whether only the server can place a changed conversation in the list: a search reads every
 * message, and the order by cost is not what the stream's conversation alone can tell.
 */
export const serverOrdered = (filters: Filters): boolean => filters.q !== '' || filters.sort === 'cost';

/** Changes some filters in the address bar (replacing the entry: typing is not history), keeping the rest. */
export function setFilters(patch: Partial<Filters>): void {
  const params = new URLSearchParams(location().search);
  for (const [name, value] of Object.entries(patch)) {
    if (value) params.set(name, value);
    else params.delete(name);
  }
  const text = params.toString();
  navigate(`${location().path}${text ? `?${text}` : ''}`, { replace: true });
}
