import { Hono } from 'hono';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { searchHistory } from '../../projections/search/queries.js';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import type { Keyring } from '../keyring.js';
import { MAX_INTEGER, parseParams } from './query.js';

const searchParams = z.object({
  q: z.string().max(500),
  // Larger limits are clamped by the query, not refused.
  limit: z.coerce.number().int().positive().max(MAX_INTEGER).optional(),
  cursor: z.string().max(1000).optional(),
  project: z.string().max(4096).optional(),
});

/**
 * `GET /api/search?q&limit&cursor&project`: the messages and titles that hold every word, newest
 * first, each with a snippet, `{items, nextCursor}`. Where the conversation list says which
 * conversations match, this says where in them.
 */
export function searchRoutes({ sql, keyring }: { sql: Sql; keyring: Keyring }) {
  return new Hono<AppEnv>().get('/api/search', requireScope(keyring, 'read'), async (c) => {
    return c.json(await searchHistory(sql, parseParams(searchParams, c.req.query())));
  });
}
