import fc from 'fast-check';

/**
 * Strings a hook may carry and the server must keep exactly: NUL and lone surrogates (which
 * jsonb cannot hold), controls, line separators, a BOM, markup, quotes, and any UTF-16 unit.
 */
const nastyUnit = fc.constantFrom(
  '\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d\ude00', '\u0001', '\u001f', '\u007f', '\u2028', '\u2029',
  '\ufeff', '\ufffd', '"', '\\', "'", '\n', '\r\n', '<script>window.__pwned=1</script>', '<img src=x onerror=alert(1)>', '${x}', '%00', '{{x}}',
);
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const printable = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 });

export const hostileString = (maxLength = 30) => fc.string({ unit: fc.oneof(nastyUnit, anyCodeUnit, printable), maxLength });

/** Any JSON value whose strings (and keys) are hostile. */
export const hostileJson = (maxDepth = 3) => fc.jsonValue({ maxDepth, stringUnit: fc.oneof(nastyUnit, anyCodeUnit, printable) });

/** What the envelope's names (event, sessionId, path) may be: no controls, no lone surrogates, anything else. */
const labelUnit = fc.oneof(printable, fc.constantFrom(' ', '"', '\\', '<script>', '../', '\u2028', '\ufeff', '\ud83d\ude00', '%2F', "'; drop table x; --"));
export const label = (max: number) =>
  fc
    .oneof({ weight: 9, arbitrary: fc.string({ unit: labelUnit, minLength: 1, maxLength: 40 }) }, { weight: 1, arbitrary: fc.constant('é'.repeat(max)) })
    .filter((text) => text.length <= max && /^[^\u0000-\u001f\u007f]+$/.test(text) && text.isWellFormed());

/** One printable ASCII character, as a requestId is made of. */
export const asciiUnit = fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code));

/** Byte sequences that are not UTF-8: stray continuation bytes, overlong forms, encoded surrogates, cut sequences, beyond U+10FFFF. */
export const invalidUtf8 = fc.constantFrom(
  [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf0, 0x80, 0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xfe], [0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc3, 0x28],
);

/**
 * A placeholder that `serialise` replaces by this JSON text as is: JSON.stringify cannot write a
 * number like 1e400, and overflows its stack on 100,000 nested arrays.
 */
export const raw = (jsonText: string) => `\u0001RAW:${jsonText}\u0001`;

export function serialise(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001RAW:([^"\\]+)\\u0001"/g, '$1');
}

/** n nested arrays (or objects): `payload` may nest 256 levels. */
export function nested(levels: number, kind: 'array' | 'object' = 'array'): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = kind === 'array' ? [value] : { k: value };
  return value;
}

/** A JSON text of n nested arrays, for depths JSON.stringify would overflow the stack on. */
export const nestedText = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

/** What the log keeps of client info: characters jsonb cannot hold become U+FFFD. */
export function jsonbSafe(value: unknown): unknown {
  const clean = (text: string) => text.toWellFormed().replaceAll('\u0000', '\ufffd');
  if (typeof value === 'string') return clean(value);
  if (Array.isArray(value)) return value.map(jsonbSafe);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [clean(key), jsonbSafe(item)]));
}
