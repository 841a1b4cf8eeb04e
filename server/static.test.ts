import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from './env.js';
import { staticRoutes } from './static.js';

const INDEX = '<!doctype html><title>Arrakis</title><div id="root"></div>';
const SCRIPT = 'console.log("app");';
// Sits beside the served root, where a traversal would land.
const SECRET = '{"secret":"outside the root"}';

let dir: string;
let app: Hono<AppEnv>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arrakis-static-'));
  await mkdir(join(dir, 'dist', 'assets'), { recursive: true });
  await writeFile(join(dir, 'dist', 'index.html'), INDEX);
  await writeFile(join(dir, 'dist', 'assets', 'app-abc123.js'), SCRIPT);
  await writeFile(join(dir, 'dist', 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(dir, 'package.json'), SECRET);
  app = staticRoutes({ root: join(dir, 'dist') });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('staticRoutes', () => {
  it('serves index.html at / as HTML that browsers revalidate', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toBe(INDEX);
  });

  it('serves hashed assets as JavaScript cached for good, and HEAD with the same headers', async () => {
    const res = await app.request('/assets/app-abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe(SCRIPT);

    const head = await app.request('/assets/app-abc123.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(SCRIPT.length));
    expect(await head.text()).toBe('');
  });

  it('serves other top-level files without the immutable header', async () => {
    const res = await app.request('/favicon.svg');
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers any other path with index.html so deep links reach the UI router', async () => {
    for (const path of ['/conversations/xyz', '/conversations/xyz/', '/assets']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toBe(INDEX);
    }
  });

  it('404s a missing asset instead of passing HTML off as a script', async () => {
    const res = await app.request('/assets/app-old999.js');
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<!doctype');
  });

  it('never serves a file from outside the root', async () => {
    const paths = [
      '/../package.json',
      '/%2e%2e/package.json',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/..%2F..%2Fpackage.json',
      '/assets/..%5c..%5cpackage.json',
      '/assets/%252e%252e%252fpackage.json',
      '/index.html%00.js',
    ];
    for (const path of paths) {
      const res = await app.request(path);
      expect([200, 400, 404], path).toContain(res.status);
      expect(await res.text(), path).not.toContain('secret');
    }
    // Encoded separators and NUL survive URL normalisation, so the sub-app itself must refuse them.
    expect((await app.request('/assets/..%2F..%2Fpackage.json')).status).toBe(400);
    expect((await app.request('/assets/..%5c..%5cpackage.json')).status).toBe(400);
    expect((await app.request('/index.html%00.js')).status).toBe(400);
  });

  it('leaves /api/* and /metrics to the rest of the app', async () => {
    for (const path of ['/api/nope', '/api', '/metrics']) expect((await app.request(path)).status, path).toBe(404);
    expect((await app.request('/', { method: 'POST' })).status).toBe(404);

    const parent = new Hono<AppEnv>();
    parent.get('/api/health', (c) => c.json({ status: 'healthy' }));
    parent.route('/', app);
    parent.notFound((c) => c.json({ error: 'not_found' }, 404));
    expect(await (await parent.request('/api/health')).json()).toEqual({ status: 'healthy' });
    const missing = await parent.request('/api/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found' });
    expect(await (await parent.request('/conversations/xyz')).text()).toBe(INDEX);
  });

  it('explains with a 503 when the UI has not been built', async () => {
    const unbuilt = staticRoutes({ root: join(dir, 'no-such-dist') });
    const res = await unbuilt.request('/');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toContain('npm run build');
  });
});
