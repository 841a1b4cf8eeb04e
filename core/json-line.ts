import { assertDepth, MAX_DEPTH } from './storable.js';

/**
 * What the two kinds of captured lines (transcript lines, the hook's own log lines) have in
 * common: each is one JSON object of someone else's making, stored whatever it holds.
 */

const sessionLike = /^[^\u0000-\u001f\u007f]{1,256}$/;

/** A session id a line may claim for itself: a lone surrogate would reach the text column as U+FFFD. */
export const isSessionId = (value: unknown): value is string => typeof value === 'string' && sessionLike.test(value) && value.isWellFormed();

/**
 * Nesting needs an opening bracket per level, so text with no more of them than MAX_DEPTH (as
 * good as every line) cannot be too deep, and the walk over the parsed value is skipped.
 */
function mayBeTooDeep(text: string): boolean {
  let brackets = 0;
  for (let at = text.indexOf('{'); at >= 0 && brackets <= MAX_DEPTH; at = text.indexOf('{', at + 1)) brackets++;
  for (let at = text.indexOf('['); at >= 0 && brackets <= MAX_DEPTH; at = text.indexOf('[', at + 1)) brackets++;
  return brackets > MAX_DEPTH;
}

export function parseObjectLine(line: string): { value: Record<string, unknown> } | { error: string } {
  try {
    const value: unknown = JSON.parse(line);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'not a JSON object' };
    if (mayBeTooDeep(line)) assertDepth(value);
    return { value: value as Record<string, unknown> };
  } catch (error) {
    // V8 quotes the offending UTF-16 unit, half of an emoji maybe: jsonb would refuse the lone surrogate.
    return { error: (error as Error).message.toWellFormed() };
  }
}

/**
 * A line's own time, normalised, when it is a plausible one. Date.parse accepts forms and
 * years Postgres refuses, and a refused time would fail the whole request, so anything odd
 * gives null and the caller falls back to a time of its own; the line keeps it raw.
 */
export function plausibleTime(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 64) return null;
  const time = new Date(value);
  const year = time.getUTCFullYear();
  return Number.isNaN(year) || year < 1970 || year > 9999 ? null : time.toISOString();
}
