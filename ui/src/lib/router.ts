import { createSignal } from 'solid-js';

/** The current path and query, kept in step with the address bar. */
const [location, setLocation] = createSignal({ path: window.location.pathname, search: window.location.search });
export { location };

window.addEventListener('popstate', () => setLocation({ path: window.location.pathname, search: window.location.search }));

export function navigate(to: string, { replace = false } = {}): void {
  const url = new URL(to, window.location.origin);
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  setLocation({ path: url.pathname, search: url.search });
  if (!replace) window.scrollTo(0, 0);
}

/** The parameters of a pattern such as `/conversations/:id`, or null when the path does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i]!.startsWith(':')) params[want[i]!.slice(1)] = decodeURIComponent(got[i]!);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

export const searchParam = (name: string): string | null => new URLSearchParams(location().search).get(name);
