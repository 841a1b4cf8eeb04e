import type { Hono } from 'hono';
import type { Scope } from '../../core/keys.js';
import type { AppEnv } from '../../server/env.js';

/** Open to anyone: load balancers, the hook's --health, the login form, and the UI's own files. */
export const OPEN = new Set(['GET /api/health', 'POST /api/login', 'POST /api/logout', 'GET /*']);

/**
 * The scope each route needs. A route the app gains must be added here (a test fails until
 * it is), so that no route ships without its key check being tried.
 */
export const SCOPES: Record<string, Scope> = {
  'GET /api/session': 'read',
  'GET /api/conversations/stream': 'read',
  'POST /api/claude-hooks': 'ingest',
  'POST /api/claude-hooks/batch': 'ingest',
  'POST /api/hook-logs': 'ingest',
  'GET /api/hook-logs': 'read',
  'GET /api/projections': 'read',
  'GET /api/projections/:name/parked': 'read',
  'POST /api/projections/:name/rebuild': 'admin',
  'POST /api/projections/:name/parked/:id/retry': 'admin',
  'GET /api/conversations': 'read',
  'GET /api/conversations/:sessionId{(?!stream$)[^/]+}': 'read',
  'GET /api/conversations/:sessionId{(?!stream$)[^/]+}/messages': 'read',
  'GET /api/events': 'read',
  'GET /api/events/:position': 'read',
  'GET /api/stats': 'read',
  'GET /api/hook-health': 'read',
  'GET /api/stats/ingest': 'read',
  'GET /api/completeness': 'read',
  'GET /api/conversations/:sessionId/completeness': 'read',
  'GET /api/conversations/:sessionId/export': 'read',
  'GET /api/usage/daily': 'read',
  'GET /api/usage/weekly': 'read',
  'GET /api/usage/monthly': 'read',
  'GET /api/usage/sessions': 'read',
  'GET /api/usage/projects': 'read',
  'GET /api/usage/blocks': 'read',
  'GET /api/usage/statusline': 'read',
  'GET /api/search': 'read',
  'GET /metrics': 'read',
};

/** Every method and path the app answers, from Hono's own table (middleware that applies to all left out). */
export function routesOf(app: Hono<AppEnv>): string[] {
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
}

const samples: Record<string, string> = {
  name: 'conversations',
  id: '1',
  sessionId: '0b6c4a2e-5f0d-4c1e-9b8a-3d2f1e0c9a7b',
  position: '1',
};

/** A request path for a route pattern, its parameters filled with plausible values. */
export function concrete(route: string): { method: string; path: string } {
  const [method, pattern] = route.split(' ') as [string, string];
  const path = pattern.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => {
    const sample = samples[name];
    if (sample === undefined) throw new Error(`no sample value for :${name} in ${route}: add one`);
    return sample;
  });
  return { method, path };
}
