import { Hono } from 'hono';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { BadRequestError } from '../../core/errors.js';
import type { Appender } from '../../core/group-commit.js';
import { hookLogBatchSchema, hookLogEvents } from '../../core/hook-log-line.js';
import { HOOK_LOG_LEVELS, listHookLogs } from '../../projections/hook-logs.js';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import type { Keyring } from '../keyring.js';
import { parseJson, readJsonText } from '../read-body.js';
import { MAX_INTEGER, parseParams } from './query.js';

export interface HookLogDeps {
  sql: Sql;
  appender: Appender;
  keyring: Keyring;
  bodyLimitBytes: number;
  clock?: () => Date;
}

// The hook sends at most 256 KB of lines at a time; more is not a log batch.
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

const listQuery = z.object({
  host: z.string().max(255).optional(),
  level: z.enum(HOOK_LOG_LEVELS).optional(),
  q: z.string().max(500).optional(),
  before: z.string().max(1000).optional(),
  // Larger limits are clamped by the query, not refused.
  limit: z.coerce.number().int().positive().max(MAX_INTEGER).optional(),
});

function parseBatch(text: string) {
  const parsed = hookLogBatchSchema.safeParse(parseJson(text));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
    throw new BadRequestError(`invalid log batch: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  return parsed.data;
}

/**
 * `POST /api/hook-logs` (ingest): lines of a hook's own log, each appended as a `hook.log`
 * event; 201 when any line was new, 200 when all were already stored. A line whose identity
 * was stored with other text (a log file deleted and written anew) is counted as a conflict
 * and does not fail the batch: the hook must move on either way.
 * `GET /api/hook-logs?host&level&q&before&limit` (read): newest first, `{items, nextCursor}`.
 */
export function hookLogRoutes({ sql, appender, keyring, bodyLimitBytes, clock = () => new Date() }: HookLogDeps) {
  return new Hono<AppEnv>()
    .post('/api/hook-logs', requireScope(keyring, 'ingest'), async (c) => {
      const text = await readJsonText(c.req.raw, Math.min(bodyLimitBytes, MAX_BATCH_BYTES));
      const batch = parseBatch(text);
      const events = hookLogEvents(batch, clock());
      const outcomes = events.length > 0 ? await appender.append(events, text.length) : [];
      const tally = (status: string) => outcomes.filter((o) => o.status === status).length;
      const body = { lines: batch.lines.length, stored: tally('stored'), duplicates: tally('duplicate'), conflicts: tally('conflict') };
      Object.assign(c.get('logFields'), { host: batch.host, ...body });
      return c.json(body, body.stored > 0 ? 201 : 200);
    })
    .get('/api/hook-logs', requireScope(keyring, 'read'), async (c) => c.json(await listHookLogs(sql, parseParams(listQuery, c.req.query()))));
}
