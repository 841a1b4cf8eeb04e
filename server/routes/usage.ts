import { Hono } from 'hono';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { blockUsage, dailyUsage, monthlyUsage, projectUsage, sessionUsage, statuslineUsage, weeklyUsage } from '../../projections/usage/queries.js';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import type { Keyring } from '../keyring.js';
import { parseParams } from './query.js';

/** ccusage's YYYYMMDD or an ISO date, as YYYY-MM-DD. */
const day = z
  .string()
  .regex(/^\d{4}-?\d{2}-?\d{2}$/, 'a date, YYYY-MM-DD or YYYYMMDD')
  .transform((text) => text.replace(/^(\d{4})-?(\d{2})-?(\d{2})$/, '$1-$2-$3'))
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), 'no such date');

/** An IANA zone Node knows; Postgres knows the same names, so an unknown one is a 400 here, not an error there. */
const zone = z.string().max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return /^[A-Za-z0-9_+\-/]+$/.test(tz);
  } catch {
    return false;
  }
}, 'an IANA time zone, e.g. Europe/Paris');

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const filter = z.object({
  since: day.optional(),
  until: day.optional(),
  tz: zone.optional(),
  project: z.string().max(4096).optional(),
  host: z.string().max(256).optional(),
  model: z.string().max(256).optional(),
});
const ordered = (q: { since?: string; until?: string }) => !q.since || !q.until || q.since <= q.until;
const checked = <T extends z.ZodRawShape>(shape: T) =>
  filter.extend(shape).refine((q) => ordered(q as { since?: string; until?: string }), { message: 'since must not be after until', path: ['since'] });

const periodQuery = checked({
  breakdown: z.enum(['model', 'project', 'host']).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  startOfWeek: z.enum(['sunday', 'monday']).optional(),
});
const listQuery = checked({ order: z.enum(['cost', 'recent']).optional(), limit: z.coerce.number().int().positive().max(1000).optional() });
const blocksQuery = checked({ active: flag.optional(), recent: flag.optional() });
const statuslineQuery = z.object({ session: z.string().max(256).optional(), tz: zone.optional() });

/**
 * `GET /api/usage/{daily,weekly,monthly}`, `/sessions`, `/projects`, `/blocks`: ccusage's
 * reports, from the usage rollups. `GET /api/usage/statusline`: what `arrakis statusline` prints.
 */
export function usageRoutes({ sql, keyring, now = () => new Date() }: { sql: Sql; keyring: Keyring; now?: () => Date }) {
  const read = requireScope(keyring, 'read');
  return new Hono<AppEnv>()
    .get('/api/usage/daily', read, async (c) => c.json(await dailyUsage(sql, parseParams(periodQuery, c.req.query()))))
    .get('/api/usage/weekly', read, async (c) => c.json(await weeklyUsage(sql, parseParams(periodQuery, c.req.query()))))
    .get('/api/usage/monthly', read, async (c) => c.json(await monthlyUsage(sql, parseParams(periodQuery, c.req.query()))))
    .get('/api/usage/sessions', read, async (c) => c.json(await sessionUsage(sql, parseParams(listQuery, c.req.query()))))
    .get('/api/usage/projects', read, async (c) => c.json(await projectUsage(sql, parseParams(listQuery, c.req.query()))))
    .get('/api/usage/blocks', read, async (c) => c.json(await blockUsage(sql, { ...parseParams(blocksQuery, c.req.query()), now: now() })))
    .get('/api/usage/statusline', read, async (c) => {
      const { session, tz } = parseParams(statuslineQuery, c.req.query());
      return c.json(await statuslineUsage(sql, { sessionId: session, tz, now: now() }));
    });
}
