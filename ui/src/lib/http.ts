import { createSignal } from 'solid-js';

/** Whether the server accepts this browser: unknown until the first answer, then in or out. */
export type AuthState = 'unknown' | 'in' | 'out';
const [auth, setAuth] = createSignal<AuthState>('unknown');
export { auth };

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * JSON from the API with the login cookie. A 401 anywhere means the session is gone: the
 * page shows the login form instead of a broken view.
 */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
    credentials: 'same-origin',
  }).catch(() => {
    throw new ApiError(0, 'no answer from the server');
  });
  if (response.status === 401) setAuth('out');
  else if (response.ok) setAuth('in');
  const body = (await response.json().catch(() => undefined)) as { message?: string } | undefined;
  if (!response.ok) throw new ApiError(response.status, body?.message ?? `HTTP ${response.status}`);
  return body as T;
}

export async function login(key: string): Promise<void> {
  await api<{ scope: string }>('/api/login', { method: 'POST', body: JSON.stringify({ key }) });
}

export async function logout(): Promise<void> {
  await api('/api/logout', { method: 'POST' }).catch(() => {});
  setAuth('out');
}

/** Query strings from optional values: empty ones are left out. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
