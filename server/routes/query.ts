import type { z } from 'zod';
import { BadRequestError } from '../../core/errors.js';

/** Safe integers only: positions and limits go to Postgres as bigint and back as numbers. */
export const MAX_INTEGER = Number.MAX_SAFE_INTEGER;

/**
 * Query string or path parameters through a zod schema; a 400 names each offending
 * parameter. An empty value (`?q=`) counts as absent, as forms and links send them.
 */
export function parseParams<S extends z.ZodType>(schema: S, params: Record<string, string>): z.output<S> {
  const given = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(query)', message: i.message }));
  throw new BadRequestError(`invalid parameters: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}
