import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProjector } from '../../projections/engine/projector.js';
import { allProjections } from '../../projections/index.js';
import { post, testApp, testKeys } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { envelope } from '../support/events.js';
import { expectLoggedAsSent, expectRefusal, namedFields } from './answers.js';
import { applyBreakages, breakage } from './breakages.js';
import { validEnvelope, type Json } from './envelopes.js';
import { hostileJson, hostileString, invalidUtf8, serialise } from './strings.js';

/**
 * Property-based: fast-check generates thousands of envelopes and bodies, hostile in content
 * and malformed in every field, and sends them through the real app and database. A failure
 * prints the seed and the smallest counterexample it shrank to; rerun with `{ seed, path }`.
 */

// Small, so that bodies over it and gzip bombs cost little to make.
const LIMIT = 64 * 1024;

let db: TestDatabase;
let app: ReturnType<typeof testApp>;
let small: ReturnType<typeof testApp>;
beforeAll(async () => {
  db = await createTestDatabase();
  app = testApp(db.sql);
  small = testApp(db.sql, { bodyLimitBytes: LIMIT });
});
afterAll(() => db.drop());

const ingest = (target: ReturnType<typeof testApp>, init: RequestInit) => target.request('/api/claude-hooks', init);

let sent = 0;
/** A requestId and transcript files of its own, so that no generated envelope dedupes against another. */
function fresh(generated: Json): Json {
  const requestId = `fuzz-request-${++sent}`;
  const transcript = (generated.transcript as Json[] | undefined)?.map((chunk, i) => ({ ...chunk, path: `${chunk.path}/${requestId}-${i}.jsonl` }));
  return { ...generated, requestId, ...(transcript ? { transcript } : {}) };
}

describe('POST /api/claude-hooks, fuzzed', () => {
  it('stores every envelope the contract allows, whatever it holds, and reads each back as sent', async () => {
    await fc.assert(
      fc.asyncProperty(validEnvelope, async (generated) => {
        const text = serialise(fresh(generated));
        const res = await ingest(app, post(text));
        expect(res.status, await res.clone().text()).toBe(201);
        await expectLoggedAsSent(app, res, text);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses an envelope with broken fields with a 400 whose issues name exactly those fields', async () => {
    const breakages = fc.uniqueArray(breakage, { selector: (b) => b.field, minLength: 1, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(validEnvelope, breakages, async (generated, broken) => {
        const res = await ingest(app, post(serialise(applyBreakages(fresh(generated), broken))));
        const named = namedFields(await expectRefusal(res, 400));
        const fields = new Set(broken.map((b) => b.field));
        expect(named.size).toBeGreaterThan(0);
        // A field that passes the schema is checked further (depth, numbers) only once all do.
        for (const field of named) expect(fields).toContain(field);
        if (fields.size === 1) expect(named).toEqual(fields);
      }),
      { numRuns: 1200 },
    );
  });

  it('answers any body, encoding or content type with a 201 read back as sent or the right JSON 4xx', async () => {
    type Case = { body: string | Uint8Array; headers?: Record<string, string | undefined>; expected: 'stored' | number | number[]; text?: string };
    const valid = validEnvelope.map((generated) => serialise(fresh(generated)));
    const size = (text: string) => Buffer.byteLength(text);
    const bombs = [gzipSync(Buffer.alloc(LIMIT + 1, 0x20)), gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20)), gzipSync(Buffer.alloc(LIMIT * 4, 0x7b))];
    const marked = serialise(envelope({ requestId: 'utf8-probe-0001', payload: { prompt: 'MARK' } }));

    const cases: fc.Arbitrary<Case> = fc.oneof(
      valid.map((text) => ({ body: text, text, expected: size(text) > LIMIT ? 413 : ('stored' as const) })),
      fc.tuple(valid, fc.constantFrom('gzip', 'x-gzip', ' GZIP ')).map(([text, encoding]) => ({
        body: gzipSync(text),
        headers: { 'content-encoding': encoding },
        text,
        expected: size(text) > LIMIT ? 413 : ('stored' as const),
      })),
      fc.tuple(valid, fc.nat()).map(([text, cut]) => {
        const zipped = gzipSync(text);
        return { body: zipped.subarray(0, cut % zipped.length), headers: { 'content-encoding': 'gzip' }, expected: size(text) > LIMIT ? [400, 413] : 400 };
      }),
      hostileString(200).map((garbage) => ({ body: gzipSync(garbage), headers: { 'content-encoding': 'gzip' }, expected: 400 })),
      fc.constantFrom(...bombs).map((bomb) => ({ body: bomb, headers: { 'content-encoding': 'gzip' }, expected: 413 })),
      fc.tuple(fc.integer({ min: LIMIT + 1, max: LIMIT * 4 }), fc.boolean()).map(([n, declared]) => ({
        body: `{"pad":"${'x'.repeat(n)}"}`,
        headers: declared ? { 'content-length': String(n + 10) } : {},
        expected: 413,
      })),
      fc.tuple(valid, fc.constantFrom('br', 'deflate', 'compress', 'zstd', 'gzip, br', 'identity, gzip')).map(([text, encoding]) => ({
        body: text,
        headers: { 'content-encoding': encoding },
        // The body is read (within the limit) before its encoding is looked at.
        expected: size(text) > LIMIT ? 413 : 415,
      })),
      fc
        .tuple(valid, fc.constantFrom(undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'json', 'text/json', '*/*', ''))
        .map(([text, type]) => ({ body: text, headers: { 'content-type': type }, expected: 415 })),
      fc.constantFrom('', ' ', '\n\t ', '\ufeff', '\ufeff\ufeff{}').map((body) => ({ body, expected: 400 })),
      hostileString(200).map((body) => ({ body, expected: 400 })),
      fc.tuple(valid, fc.nat()).map(([text, cut]) => ({ body: text.slice(0, cut % text.length), expected: size(text) > LIMIT ? [400, 413] : 400 })),
      // A byte order mark is dropped by the UTF-8 decoder, as RFC 8259 allows.
      valid.map((text) => ({ body: `\ufeff${text}`, text, expected: size(text) + 3 > LIMIT ? 413 : ('stored' as const) })),
      fc.uint8Array({ maxLength: 300 }).map((body) => ({ body, expected: 400 })),
      fc.array(invalidUtf8, { minLength: 1, maxLength: 3 }).map((bytes) => {
        const [before, after] = marked.split('MARK');
        // An ASCII letter after each, so that two cut sequences cannot join into a valid one.
        return { body: Buffer.concat([Buffer.from(before!), Buffer.from(bytes.flatMap((b) => [...b, 0x78])), Buffer.from(after!)]), expected: 400 };
      }),
      hostileJson(3)
        .filter((value) => value === null || typeof value !== 'object' || Array.isArray(value))
        .map((value) => ({ body: JSON.stringify(value), expected: 400 })),
    );

    await fc.assert(
      fc.asyncProperty(cases, async ({ body, headers = {}, expected, text }) => {
        const init = post(Buffer.from(body), {});
        const merged: Record<string, string> = { ...init.headers };
        for (const [name, value] of Object.entries(headers)) {
          if (value === undefined) delete merged[name];
          else merged[name] = value;
        }
        const res = await ingest(small, { ...init, headers: merged });
        if (expected === 'stored') {
          expect(res.status, await res.clone().text()).toBe(201);
          await expectLoggedAsSent(small, res, text!);
          return;
        }
        const refusal = await expectRefusal(res);
        expect([expected].flat(), `${res.status} ${refusal.message}`).toContain(res.status);
      }),
      { numRuns: 600 },
    );
  });

  it('keeps a key named __proto__ in a payload as a key, and pollutes no prototype with it', async () => {
    const payload = { note: 'NUL \u0000 makes the server rebuild the payload for jsonb', nested: { z: 1 } };
    const text = JSON.stringify({ ...envelope({ payload }), client: { host: 'devbox' } })
      .replace('"nested":{', '"nested":{"__proto__":{"polluted":true},')
      .replace('"host":"devbox"', '"host":"devbox","__proto__":{"polluted":true},"trace":{"__proto__":{"polluted":true}}');
    const res = await ingest(app, post(text));
    expect(res.status).toBe(201);
    const { position } = (await res.json()) as { position: number };
    const [row] = await db.sql<{ payload: { nested: Record<string, unknown> }; client: Record<string, unknown> }[]>`
      select payload, client from arrakis.events where position = ${position}`;
    expect(Object.keys(row!.payload.nested)).toEqual(['z', '__proto__']);
    expect(Object.keys(row!.client)).toEqual(['host', 'trace']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('still answers /api/health afterwards, and the read models take all it stored', async () => {
    const projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
    await projector.settled();
    await projector.stop();
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).not.toBe('unhealthy');
    for (const path of ['/api/events?limit=1000', '/api/events?order=desc', '/api/conversations?limit=200', '/api/stats', '/api/hook-health', '/api/projections']) {
      const read = await app.request(path, { headers: { authorization: `Bearer ${testKeys.read}` } });
      expect(read.status, path).toBe(200);
    }
  });
});
