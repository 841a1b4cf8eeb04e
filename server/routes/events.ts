import { Hono } from 'hono';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { ArrakisError } from '../../core/errors.js';
import { getEvent, listEvents } from '../../core/event-queries.js';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import type { Keyring } from '../keyring.js';
import { MAX_INTEGER, parseParams } from './query.js';

const position = z.coerce.number().int().max(MAX_INTEGER);

// An instant with its offset (2026-05-01T10:00:00Z): a bare local time would mean whatever the server's zone is.
const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

const listQuery = z
  .object({
    order: z.enum(['asc', 'desc']).default('asc'),
    after: position.nonnegative().optional(),
    before: position.positive().optional(),
    // Larger limits are clamped by the query, not refused.
    limit: position.positive().optional(),
    type: z.string().max(200).optional(),
    sessionId: z.string().max(200).optional(),
    requestId: z.string().max(200).optional(),
    from: instant.optional(),
    to: instant.optional(),
  })
  // Each order has its own cursor: mixing them would be read as a range neither order promises.
  .refine((q) => q.order === 'desc' || q.before === undefined, { path: ['before'], message: 'pages newest first: use it with order=desc' })
  .refine((q) => q.order === 'asc' || q.after === undefined, { path: ['after'], message: 'pages oldest first: with order=desc, page with before' })
  .refine((q) => !q.from || !q.to || q.from < q.to, { path: ['to'], message: 'must be later than from' });
const positionParam = z.object({ position: position.positive() });

/**
 * `GET /api/events`: the log inspector. Items come in the log's commit-safe order (see
 * listEvents), so paging with `after=<next>` lists every committed event exactly once, even
 * while appends commit out of order. `next` is the last item's position, and `after` again on
 * an empty page: a client polls with it for what commits next.
 * `order=desc` lists newest first, paged with `before=<next>` (null once at the oldest).
 * `from` and `to` (ISO instants with an offset) bound received_at, from inclusive, to exclusive.
 * `GET /api/events/:position`: one event, with its payload exactly as appended.
 */
export function eventRoutes({ sql, keyring }: { sql: Sql; keyring: Keyring }) {
  return new Hono<AppEnv>()
    .get('/api/events', requireScope(keyring, 'read'), async (c) => c.json(await listEvents(sql, parseParams(listQuery, c.req.query()))))
    .get('/api/events/:position', requireScope(keyring, 'read'), async (c) => {
      const { position } = parseParams(positionParam, c.req.param());
      const event = await getEvent(sql, position);
      if (!event) throw new ArrakisError(404, 'not_found', `no event at position ${position}`);
      return c.json(event);
    });
}
