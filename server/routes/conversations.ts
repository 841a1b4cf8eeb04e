import { Hono } from 'hono';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { ArrakisError } from '../../core/errors.js';
import { getConversation, listConversations } from '../../projections/conversations/index.js';
import { listMessages } from '../../projections/messages/index.js';
import { listMessagesAround, listMessagesBefore } from '../../projections/messages/around.js';
import { tokensForSession } from '../../projections/stats-queries.js';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import type { Keyring } from '../keyring.js';
import { MAX_INTEGER, parseParams } from './query.js';

// Larger limits are clamped by the queries, not refused.
const limit = z.coerce.number().int().positive().max(MAX_INTEGER).optional();

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((text) => new Date(text)).pipe(z.date());

const listQuery = z.object({
  limit,
  cursor: z.string().max(1000).optional(),
  q: z.string().max(500).optional(),
  project: z.string().max(4096).optional(),
  host: z.string().max(256).optional(),
  status: z.enum(['active', 'waiting', 'ended']).optional(),
  sort: z.enum(['recent', 'cost']).optional(),
  // A bare date is midnight UTC; browsers send the instants of their own midnights.
  from: instant.optional(),
  to: instant.optional(),
}).refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
// `around` (a message key, for deep links) and `before` read from the middle of a timeline.
const messagesQuery = z
  .object({ after: z.string().max(1000).optional(), before: z.string().max(1000).optional(), around: z.string().max(1000).optional(), limit })
  .refine((q) => [q.after, q.before, q.around].filter((v) => v !== undefined).length <= 1, { message: 'give at most one of after, before and around', path: ['around'] });

/**
 * A session id, but never the literal `stream`: `GET /api/conversations/stream` is the SSE
 * route's, whichever of the two is mounted first.
 */
const SESSION = ':sessionId{(?!stream$)[^/]+}';

const unknownSession = (sessionId: string) => new ArrakisError(404, 'not_found', `no conversation ${sessionId}`);

/**
 * `GET /api/conversations`: newest activity first, `{items, nextCursor}`.
 * `GET /api/conversations/:sessionId`: the summary with its tokens and cost by model.
 * `GET /api/conversations/:sessionId/messages`: the timeline, a page at a time (`after`), or
 * the page holding one message (`around`) and the pages before it (`before`).
 */
export function conversationRoutes({ sql, keyring }: { sql: Sql; keyring: Keyring }) {
  return new Hono<AppEnv>()
    .get('/api/conversations', requireScope(keyring, 'read'), async (c) => {
      return c.json(await listConversations(sql, parseParams(listQuery, c.req.query())));
    })
    .get(`/api/conversations/${SESSION}`, requireScope(keyring, 'read'), async (c) => {
      const sessionId = c.req.param('sessionId');
      const [conversation, byModel] = await Promise.all([getConversation(sql, sessionId), tokensForSession(sql, sessionId)]);
      if (!conversation) throw unknownSession(sessionId);
      return c.json({ ...conversation, tokens: { byModel } });
    })
    .get(`/api/conversations/${SESSION}/messages`, requireScope(keyring, 'read'), async (c) => {
      const sessionId = c.req.param('sessionId');
      const { around, before, ...options } = parseParams(messagesQuery, c.req.query());
      if (around !== undefined) {
        const window = await listMessagesAround(sql, sessionId, around, options.limit);
        if (window) return c.json(window);
        if (!(await getConversation(sql, sessionId))) throw unknownSession(sessionId);
        throw new ArrakisError(404, 'not_found', `no message ${around} in conversation ${sessionId}`);
      }
      const page = before !== undefined ? await listMessagesBefore(sql, sessionId, before, options.limit) : await listMessages(sql, sessionId, options);
      // Only an empty page needs the check: messages exist only for sessions that do. The two
      // projections catch up separately, so a session with messages is not refused meanwhile.
      if (page.items.length === 0 && !(await getConversation(sql, sessionId))) throw unknownSession(sessionId);
      return c.json(page);
    });
}
