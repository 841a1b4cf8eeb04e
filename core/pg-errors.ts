import { BadRequestError, UnavailableError } from './errors.js';

/**
 * The one place Postgres error codes are interpreted. Everything else asks
 * `classifyPgError` (to decide on retries) or `toArrakisError` (to answer a client).
 */
export type PgErrorClass = 'unavailable' | 'transient' | 'invalid_input' | 'not_built' | 'other';

const connectionCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH',
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function classifyPgError(error: unknown): PgErrorClass {
  const code = codeOf(error);
  if (code === undefined) return 'other';
  if (connectionCodes.has(code)) return 'unavailable';
  // 08: connection exception; 57P0x: shutdown / cannot connect now; 53: insufficient resources.
  if (code.startsWith('08') || /^57P0[1-4]$/.test(code) || code.startsWith('53')) return 'unavailable';
  // 40001 serialization failure, 40P01 deadlock, 55P03 lock not available.
  if (code === '40001' || code === '40P01' || code === '55P03') return 'transient';
  // 42P01 undefined table: a read model no projector has created yet (a fresh database).
  if (code === '42P01') return 'not_built';
  // 22: data exception (bad text encoding, out-of-range values, ...).
  if (code.startsWith('22')) return 'invalid_input';
  return 'other';
}

/** Maps a database failure to what a client should be told; unknown failures pass through. */
export function toArrakisError(error: unknown): unknown {
  switch (classifyPgError(error)) {
    case 'unavailable':
    case 'transient':
      return new UnavailableError('the database is unavailable; retry later');
    case 'invalid_input':
      return new BadRequestError(`the database rejected a value: ${(error as Error).message}`);
    case 'not_built':
      return new UnavailableError('the read models are not built yet: start a projector (`arrakis start` or `arrakis project`)');
    default:
      return error;
  }
}
