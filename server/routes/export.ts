import { Hono } from 'hono';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { ArrakisError } from '../../core/errors.js';
import { requireScope } from '../auth.js';
import type { AppEnv } from '../env.js';
import { loadExport } from '../export/load.js';
import { renderExport } from '../export/render.js';
import type { Keyring } from '../keyring.js';
import { parseParams } from './query.js';

const exportQuery = z.object({
  format: z.enum(['md', 'html']).default('md'),
  redact: z.enum(['0', '1']).default('0'),
});

// The file is meant to be saved, not shown: were a browser to render it anyway, nothing in it may run.
const EXPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/** RFC 6266: an ASCII fallback, and the UTF-8 name for clients that read it. */
const disposition = (filename: string) => `attachment; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;

/** `GET /api/conversations/:sessionId/export?format=md|html&redact=0|1`: the whole conversation as one file to download. */
export function exportRoutes({ sql, keyring }: { sql: Sql; keyring: Keyring }) {
  return new Hono<AppEnv>().get('/api/conversations/:sessionId/export', requireScope(keyring, 'read'), async (c) => {
    const sessionId = c.req.param('sessionId');
    const query = parseParams(exportQuery, c.req.query());
    const data = await loadExport(sql, sessionId);
    if (!data) throw new ArrakisError(404, 'not_found', `no conversation ${sessionId}`);
    const file = renderExport(data, { format: query.format, redact: query.redact === '1' });
    c.header('Content-Type', file.contentType);
    c.header('Content-Disposition', disposition(file.filename));
    c.header('Content-Security-Policy', EXPORT_CSP);
    c.header('Cache-Control', 'no-store');
    return c.body(file.body);
  });
}
