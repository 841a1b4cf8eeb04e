import { createSignal, type Accessor } from 'solid-js';
import { api, ApiError } from '../lib/http.js';

export interface Admin {
  /** A request was refused for want of the admin scope: the buttons are disabled with a hint. */
  readOnly: Accessor<boolean>;
  /** Runs an admin request, remembering a 403 for every admin button on the page. */
  run<T>(request: () => Promise<T>): Promise<T>;
}

/**
 * Asks the server which scope the login holds (`GET /api/session`): with a read login the
 * admin buttons are disabled with a hint from the start. A 403 (the key was replaced, say)
 * marks them the same way. Held by the page, so signing in again starts afresh.
 */
export function createAdmin(): Admin {
  const [readOnly, setReadOnly] = createSignal(false);
  void api<{ scope: string }>('/api/session').then(({ scope }) => setReadOnly(scope !== 'admin'), () => {});
  return {
    readOnly,
    async run(request) {
      try {
        return await request();
      } catch (error) {
        if (error instanceof ApiError && error.status === 403) setReadOnly(true);
        throw error;
      }
    },
  };
}

export const ADMIN_HINT_ID = 'admin-hint';
