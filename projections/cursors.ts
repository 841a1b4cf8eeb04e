import { BadRequestError } from '../core/errors.js';

/** Cursors are opaque to clients: base64url JSON of the sort key of the last row returned. */
export const encodeCursor = (parts: Array<string | number>): string => Buffer.from(JSON.stringify(parts)).toString('base64url');

export function decodeCursor(cursor: string, types: Array<'time' | 'string' | 'number'>, field = 'cursor'): Array<string | number> {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  const valid =
    Array.isArray(parts) &&
    parts.length === types.length &&
    types.every((type, i) =>
      type === 'number' ? Number.isSafeInteger(parts[i]) : typeof parts[i] === 'string' && (type === 'string' || !Number.isNaN(Date.parse(parts[i]))),
    );
  if (!valid) throw new BadRequestError(`invalid ${field}`, [{ path: field, message: 'not a cursor this endpoint returned' }]);
  return parts as Array<string | number>;
}

export const clampLimit = (limit: number | undefined, fallback: number, max: number): number =>
  Number.isInteger(limit) && limit! > 0 ? Math.min(limit!, max) : fallback;
