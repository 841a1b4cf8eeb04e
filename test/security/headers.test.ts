import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../../core/group-commit.js';
import { createApp } from '../../server/app.js';
import { post, testKeys } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { envelope } from '../support/events.js';

let db: TestDatabase;
let uiRoot: string;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  db = await createTestDatabase();
  uiRoot = await mkdtemp(join(tmpdir(), 'arrakis-headers-ui-'));
  await mkdir(join(uiRoot, 'assets'));
  await writeFile(join(uiRoot, 'index.html'), '<!doctype html><title>Arrakis</title><script type="module" src="/assets/app-1.js"></script>');
  await writeFile(join(uiRoot, 'assets', 'app-1.js'), 'export {};');
  app = createApp({ sql: db.sql, appender: createAppender(db.sql), keys: testKeys, uiRoot, bodyLimitBytes: 1024 });
});
afterAll(async () => {
  await db.drop();
  await rm(uiRoot, { recursive: true, force: true });
});

const read = { headers: { authorization: `Bearer ${testKeys.read}` } };

/** A sample of answers of every kind: UI, assets, API success and each failure. */
const answers: Array<[string, string, RequestInit?]> = [
  ['the UI', '/'],
  ['a deep link into the UI', '/conversations/abc'],
  ['an asset', '/assets/app-1.js'],
  ['a missing asset', '/assets/gone.js'],
  ['health', '/api/health'],
  ['a read', '/api/events?limit=1', read],
  ['an ingest', '/api/claude-hooks', post(JSON.stringify(envelope()))],
  ['a 400', '/api/events?limit=x', read],
  ['a 401', '/api/events'],
  ['a 403', '/api/events', { headers: { authorization: `Bearer ${testKeys.ingest}` } }],
  ['a 404', '/api/nothing', read],
  ['a 413', '/api/claude-hooks', post('x'.repeat(2048))],
  ['metrics', '/metrics', read],
];

describe('security headers', () => {
  it.each(answers)('on %s: nosniff, no framing, no referrer, no X-Powered-By', async (_name, path, init) => {
    const res = await app.request(path, init);
    await res.body?.cancel();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('content-type')).not.toBeNull();
  });

  it('gives the UI a strict Content-Security-Policy: its own scripts only, no plugins, no framing, no foreign base', async () => {
    for (const path of ['/', '/conversations/abc', '/status']) {
      const res = await app.request(path);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const policy = Object.fromEntries(
        (res.headers.get('content-security-policy') ?? '').split(';').map((directive) => {
          const [name, ...values] = directive.trim().split(/\s+/);
          return [name, values];
        }),
      );
      expect(policy['default-src']).toEqual(["'self'"]);
      expect(policy['script-src']).toEqual(["'self'"]);
      expect(policy['connect-src']).toEqual(["'self'"]);
      expect(policy['object-src']).toEqual(["'none'"]);
      expect(policy['base-uri']).toEqual(["'none'"]);
      expect(policy['frame-ancestors']).toEqual(["'none'"]);
      expect(policy['img-src']).toEqual(["'self'", 'data:']);
    }
  });

  it('answers the API in JSON, so that no captured text is ever sniffed as a page', async () => {
    for (const [, path, init] of answers.filter(([, path]) => path.startsWith('/api/'))) {
      const res = await app.request(path, init);
      await res.body?.cancel();
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
    }
  });
});
