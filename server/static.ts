import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Hono, type Context } from 'hono';
import { getMimeType } from 'hono/utils/mime';
import { projectRoot } from '../core/paths.js';
import type { AppEnv } from './env.js';

// Vite puts a content hash in every name under assets/, so a URL there never changes meaning.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

// The UI loads only its own bundle: a captured `<script>` that got into the page anyway could not run,
// load anything or send data elsewhere. Solid sets style attributes, hence 'unsafe-inline' for styles only.
const UI_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

const NOT_BUILT = 'The Arrakis UI is not built yet.\nRun `npm run build` in the Arrakis directory, then reload this page.\n';

/** Paths the API owns even where it has no route: a typo there must get the API's 404, not the UI. */
function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === '/metrics';
}

/**
 * The file under root that a request path names, or undefined when the path could reach anything else.
 * Hono has already percent-decoded the path except for reserved characters, so a `%` left in it means an
 * encoded slash or the like: built files never have one, and refusing it beats decoding twice.
 */
function fileUnder(root: string, path: string): string | undefined {
  if (/[%\\\0]/.test(path) || path.split('/').some((segment) => segment === '..' || segment === '.')) return undefined;
  const file = resolve(root, `.${path}`);
  return file === root || file.startsWith(root + sep) ? file : undefined;
}

// One read instead of stat-then-read: a directory or a vanished file is simply "not a file here".
async function readIfFile(file: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function send(c: Context<AppEnv>, file: string, body: Uint8Array<ArrayBuffer>, cacheControl: string) {
  const type = getMimeType(file) ?? 'application/octet-stream';
  c.header('Content-Type', type);
  if (type.startsWith('text/html')) c.header('Content-Security-Policy', UI_CSP);
  c.header('Cache-Control', cacheControl);
  // Hono answers HEAD by running this GET route and dropping the body; the length should survive that.
  c.header('Content-Length', String(body.byteLength));
  return c.body(body, 200);
}

/**
 * The built UI (`vite build` output) for every GET outside the API: exact files, and index.html for any other
 * path so the UI's own router can handle deep links. Mount it after the API routes.
 */
export function staticRoutes({ root = join(projectRoot, 'ui', 'dist') }: { root?: string } = {}) {
  const base = resolve(root);
  const indexFile = join(base, 'index.html');

  return new Hono<AppEnv>().get('*', async (c, next) => {
    const path = c.req.path;
    if (isApiPath(path)) return next();

    const file = fileUnder(base, path);
    if (!file) return c.text('Bad path\n', 400);
    const body = await readIfFile(file);
    if (body) return send(c, file, body, path.startsWith('/assets/') ? IMMUTABLE : REVALIDATE);
    // A missing hashed asset is a stale page asking for an old build: HTML in its place would only confuse it.
    if (path.startsWith('/assets/')) return c.text('Not found\n', 404);

    const index = await readIfFile(indexFile);
    if (!index) return c.text(NOT_BUILT, 503, { 'Cache-Control': 'no-store' });
    return send(c, indexFile, index, REVALIDATE);
  });
}
