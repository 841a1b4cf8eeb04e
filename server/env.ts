import type { Scope } from '../core/keys.js';

/** Per-request values shared by middleware and routes. */
export interface AppEnv {
  Variables: {
    requestId: string;
    scope: Scope;
    /** Extra fields for this request's log line. */
    logFields: Record<string, unknown>;
  };
}
