import fc from 'fast-check';
import { hostileJson, hostileString, label, nested, nestedText } from './strings.js';

/** Stands for a requestId the test makes unique when it sends the envelope. */
const FRESH = 'fresh-request-id';

export type Json = Record<string, unknown>;

const FIELDS = ['requestId', 'event', 'sessionId', 'capturedAt', 'payload', 'transcript', 'client'];

/** Offsets from -23:59 to +23:59 (or Z), any fraction of a second, the instant within the years 1970–9999. */
const validInstant = fc
  .record({
    // A day from either end, so that any offset keeps a four-digit local year.
    at: fc.date({ min: new Date('1970-01-02T00:00:00Z'), max: new Date('9999-12-30T23:59:59Z'), noInvalidDate: true }),
    offsetMinutes: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
    fraction: fc.oneof(fc.constant(''), fc.stringMatching(/^\.\d{1,9}$/)),
    zulu: fc.boolean(),
  })
  .map(({ at, offsetMinutes, fraction, zulu }) => {
    const offset = zulu ? 0 : offsetMinutes;
    const local = new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 19);
    const sign = offset < 0 ? '-' : '+';
    const hhmm = `${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
    return `${local}${fraction}${zulu ? 'Z' : `${sign}${hhmm}`}`;
  });
const instant = fc.oneof(
  { weight: 9, arbitrary: validInstant },
  { weight: 1, arbitrary: fc.constantFrom('1970-01-01T00:00:00Z', '1970-01-01T05:30:00+05:30', '9999-12-31T23:59:59.999999Z', '9999-12-31T20:59:59-03:00') },
);

const payload = fc.oneof(
  { weight: 8, arbitrary: hostileJson(4) },
  { weight: 1, arbitrary: fc.record({ prompt: hostileString(), output: fc.integer({ min: 10_000, max: 100_000 }).map((n) => `${'x'.repeat(n)}\u0000\ud800`) }) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 256 }), fc.constantFrom('array', 'object' as const)).map(([n, kind]) => nested(n, kind)) },
  { weight: 1, arbitrary: fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e-300) },
);

const line = fc.oneof(
  hostileString(40),
  hostileJson(3).map((value) => JSON.stringify(value)),
  fc
    .record({
      type: fc.constantFrom('user', 'assistant', 'summary', 'not a type!'),
      sessionId: fc.oneof(label(256), hostileString()),
      timestamp: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), hostileString()),
      message: hostileJson(2),
    })
    .map((value) => JSON.stringify(value)),
  fc.constantFrom('', '   ', nestedText(300), '[1,2]', 'null'),
);

export const chunk = fc.record({ path: label(200), offset: fc.integer({ min: 0, max: 2 ** 40 }), lines: fc.array(line, { maxLength: 6 }) });

// No __proto__: the schema copies the envelope and client info key by key, and such a key is dropped
// (harmlessly: the fuzz test checks that it pollutes nothing). Payloads keep it, and are generated with it.
const extras = (reserved: string[]) =>
  fc
    .dictionary(hostileString(12), hostileJson(2), { maxKeys: 3 })
    .map((extra) => Object.fromEntries(Object.entries(extra).filter(([key]) => !reserved.includes(key) && key !== '__proto__')));

const client = fc
  .tuple(
    fc.record(
      { host: hostileString(60).map((s) => s.slice(0, 255)), hookVersion: hostileString(20).map((s) => s.slice(0, 64)), attempt: fc.maxSafeNat() },
      { requiredKeys: [] },
    ),
    extras(['host', 'hookVersion', 'attempt']),
  )
  .map(([known, extra]) => ({ ...extra, ...known }));

/** Envelopes the contract accepts, full of content a careless server would lose or choke on. */
export const validEnvelope: fc.Arbitrary<Json> = fc
  .tuple(
    fc.record(
      {
        event: label(128).filter((name) => !name.startsWith('arrakis.')),
        sessionId: label(256),
        capturedAt: instant,
        payload,
        transcript: fc.array(chunk, { maxLength: 3 }),
        client,
      },
      { requiredKeys: ['event', 'sessionId', 'capturedAt', 'payload'] },
    ),
    extras(FIELDS),
  )
  .map(([fields, extra]) => ({ ...extra, requestId: FRESH, ...fields }));
