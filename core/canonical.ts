import { hash } from 'node:crypto';

/**
 * JSON with object keys sorted, so that two serialisations of the same content hash alike
 * whatever key order a client used. Arrays keep their order: it is part of the content.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/** One-shot: a Hash object per call cost more than hashing a short text. */
export function sha256(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}

export function contentHash(value: unknown): Buffer {
  return sha256(canonicalJson(value));
}
