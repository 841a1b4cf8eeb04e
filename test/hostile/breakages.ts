import fc from 'fast-check';
import { MAX_TRANSCRIPT_LINES } from '../../core/envelope.js';
import { chunk, type Json } from './envelopes.js';
import { asciiUnit, hostileJson, hostileString, label, nested, nestedText, raw } from './strings.js';

/** One field made invalid: `field` is the top-level field the 400's issues must name. */
export interface Breakage {
  field: string;
  value?: unknown;
  remove?: true;
}

const notA = (...types: Array<'string' | 'array' | 'object' | 'number'>) =>
  fc
    .oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(hostileJson(1), { maxLength: 3 }), fc.dictionary(fc.string(), hostileJson(1), { maxKeys: 3 }), hostileString())
    .filter((value) => {
      const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
      return !(types as string[]).includes(type);
    });

const set = (field: string, value: fc.Arbitrary<unknown>): fc.Arbitrary<Breakage> => value.map((v) => ({ field, value: v }));
const removed = (field: string): fc.Arbitrary<Breakage> => fc.constant({ field, remove: true });
const controlChar = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.constant(0x7f)).map((code) => String.fromCharCode(code));
const loneSurrogate = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', 'x\ud83d');
const spliced = (base: fc.Arbitrary<string>, bad: fc.Arbitrary<string>) =>
  fc.tuple(base, bad, fc.nat()).map(([text, insert, at]) => text.slice(0, at % (text.length + 1)) + insert + text.slice(at % (text.length + 1)));
const long = (min: number, max: number) => fc.integer({ min, max }).map((n) => 'a'.repeat(n));

const badLabel = (field: string, max: number) =>
  fc.oneof(
    removed(field),
    set(field, notA('string')),
    set(field, fc.constant('')),
    set(field, long(max + 1, max + 100_000)),
    set(field, spliced(label(max - 1), controlChar)),
    set(field, spliced(label(max - 1), loneSurrogate)),
  );

const badDates = fc.constantFrom(
  '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:60:00Z', '2026-01-01', '2026-01-01T00:00:00',
  '0000-01-01T00:00:00Z', '0099-12-31T23:59:59Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00+00:01', '9999-12-31T23:59:59-00:01', '+275760-09-13T00:00:00Z', '2026-01-01T00:00:00+24:00',
  'Thu, 01 Jan 2026 00:00:00 GMT', '1767225600000', '2026-01-01T00:00:00+0530', '2026-01-01 00:00:00Z', 'yesterday', '',
);

const chunkWith = (override: Json, remove?: string) =>
  fc.tuple(chunk, fc.array(chunk, { maxLength: 2 })).map(([broken, others]) => {
    const bad: Json = { ...broken, ...override };
    if (remove) delete bad[remove];
    return [...others, bad];
  });

const badTranscript = fc.oneof(
  set('transcript', notA('array')),
  set('transcript', fc.array(fc.oneof(notA('object'), fc.constant([])), { minLength: 1, maxLength: 3 })),
  set('transcript', fc.constantFrom('path', 'offset', 'lines').chain((field) => chunkWith({}, field))),
  set('transcript', fc.oneof(fc.constant(''), long(4097, 10_000), spliced(label(100), controlChar), spliced(label(100), loneSurrogate), notA('string')).chain((path) => chunkWith({ path }))),
  set('transcript', fc.constantFrom<unknown>(-1, 1.5, '0', null, raw('1e400'), 2 ** 53, true).chain((offset) => chunkWith({ offset }))),
  set('transcript', fc.constantFrom<unknown>('x', [1], [null], [['a']], {}, null).chain((lines) => chunkWith({ lines }))),
  set('transcript', fc.constant([{ path: 'many.jsonl', offset: 0, lines: Array.from({ length: MAX_TRANSCRIPT_LINES + 1 }, () => 'x') }])),
);

const badClient = fc.oneof(
  set('client', notA('object')),
  set('client', fc.constant([])),
  set('client', fc.record({ host: fc.oneof(long(256, 5000), notA('string')) })),
  set('client', fc.record({ hookVersion: fc.oneof(long(65, 5000), notA('string')) })),
  set('client', fc.record({ attempt: fc.constantFrom<unknown>(-1, 1.5, '1', raw('1e400'), 2 ** 53, true, null) })),
  set('client', fc.integer({ min: 257, max: 2000 }).map((n) => ({ host: 'devbox', trace: nested(n) }))),
  set('client', fc.constant({ host: 'devbox', trace: raw(nestedText(100_000)) })),
);

const badPayload = fc.oneof(
  removed('payload'),
  set('payload', fc.tuple(fc.integer({ min: 257, max: 3000 }), fc.constantFrom('array', 'object' as const)).map(([n, kind]) => nested(n, kind))),
  set('payload', fc.constantFrom(nestedText(10_000), nestedText(100_000)).map((text) => ({ deep: raw(text) }))),
  set('payload', fc.tuple(hostileJson(2), fc.constantFrom('1e400', '-1E+999', '1'.repeat(400))).map(([other, big]) => ({ other, n: [0, { big: raw(big) }] }))),
);

const badRequestId = fc.oneof(
  removed('requestId'),
  set('requestId', notA('string')),
  set('requestId', fc.string({ unit: asciiUnit, maxLength: 7 })),
  set('requestId', fc.string({ unit: asciiUnit, minLength: 129, maxLength: 1000 })),
  set('requestId', spliced(fc.string({ unit: asciiUnit, minLength: 8, maxLength: 20 }), fc.constantFrom(' ', '\u0000', '\ud800', 'é', '\t', '\u007f', '\u00a0', '\ud83d\ude00'))),
);

/** Every way to break one field of an envelope. */
export const breakage: fc.Arbitrary<Breakage> = fc.oneof(
  badRequestId,
  fc.oneof(badLabel('event', 128), set('event', label(100).map((name) => `arrakis.${name}`))),
  badLabel('sessionId', 256),
  fc.oneof(removed('capturedAt'), set('capturedAt', notA('string')), set('capturedAt', badDates)),
  badPayload,
  badTranscript,
  badClient,
);

export function applyBreakages(envelope: Json, breakages: Breakage[]): Json {
  const broken: Json = { ...envelope };
  for (const b of breakages) {
    if (b.remove) delete broken[b.field];
    else broken[b.field] = b.value;
  }
  return broken;
}
