/**
 * Postgres jsonb cannot hold U+0000 nor unpaired UTF-16 surrogates, both of which are valid
 * in JSON text. Rather than reject such an event (and lose it), we store a readable copy with
 * those characters replaced by U+FFFD, and keep the exact JSON text beside it.
 */
export const MAX_DEPTH = 256;

export class TooDeepError extends Error {
  constructor(readonly path: string) {
    super(`nested deeper than ${MAX_DEPTH} levels at ${path}`);
  }
}

// An escaped NUL or any escaped surrogate in raw JSON text: only then is a full walk needed.
const suspiciousEscape = /\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/;

/** False when the JSON text, and so everything parsed from it, is certainly storable. */
export function mayNeedSanitising(text: string): boolean {
  return suspiciousEscape.test(text) || text.includes('\u0000') || !text.isWellFormed();
}

function cleanString(s: string): string {
  const wellFormed = s.isWellFormed() ? s : s.toWellFormed();
  return wellFormed.includes('\u0000') ? wellFormed.replaceAll('\u0000', '\uFFFD') : wellFormed;
}

function sanitise(value: unknown, depth: number, path: string, changed: { yes: boolean }): unknown {
  if (typeof value === 'string') {
    const clean = cleanString(value);
    if (clean !== value) changed.yes = true;
    return clean;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) throw new TooDeepError(path);
  if (Array.isArray(value)) return value.map((item, i) => sanitise(item, depth + 1, `${path}[${i}]`, changed));
  // fromEntries defines each key: assigned, a key named __proto__ would set the prototype and vanish.
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      const cleanKey = cleanString(key);
      if (cleanKey !== key) changed.yes = true;
      return [cleanKey, sanitise(item, depth + 1, `${path}.${key}`, changed)];
    }),
  );
}

/** Throws TooDeepError past MAX_DEPTH, without recursing further than that. */
export function assertDepth(value: unknown, path = '$'): void {
  const stack: Array<[unknown, number, string]> = [[value, 0, path]];
  while (stack.length > 0) {
    const [current, depth, at] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_DEPTH) throw new TooDeepError(at);
    for (const [key, item] of Object.entries(current)) stack.push([item, depth + 1, `${at}.${key}`]);
  }
}

export class NotFiniteError extends Error {
  constructor(readonly path: string) {
    super(`the number at ${path} is too large for a 64-bit float`);
  }
}

/**
 * JSON.parse reads a literal like 1e400 as Infinity, which JSON.stringify (and so the database)
 * writes back as null: throws NotFiniteError rather than store a number other than the one sent.
 */
export function assertFinite(value: unknown, path = '$'): void {
  const stack: Array<[unknown, string]> = [[value, path]];
  while (stack.length > 0) {
    const [current, at] = stack.pop()!;
    if (typeof current === 'number' && !Number.isFinite(current)) throw new NotFiniteError(at);
    if (current !== null && typeof current === 'object') for (const [key, item] of Object.entries(current)) stack.push([item, `${at}.${key}`]);
  }
}

export interface Storable {
  value: unknown;
  /** The exact JSON text, present only when `value` had to be altered to fit jsonb. */
  exactJson: string | null;
}

/** `suspicious` false (see mayNeedSanitising) skips the walk: the value is already storable. */
export function toStorable(value: unknown, path = '$', suspicious = true): Storable {
  if (!suspicious) return { value, exactJson: null };
  const changed = { yes: false };
  const clean = sanitise(value, 0, path, changed);
  return changed.yes ? { value: clean, exactJson: JSON.stringify(value) } : { value, exactJson: null };
}
