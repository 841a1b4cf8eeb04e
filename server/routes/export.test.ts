import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../../core/event-store.js';
import { startProjector } from '../../projections/engine/projector.js';
import { allProjections } from '../../projections/index.js';
import { testApp, testKeys } from '../../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { exportSession, HOSTILE, SECRET } from '../../test/support/export-session.js';
import { turnEvents } from '../../test/support/sessions.js';

let db: TestDatabase;
const S = 'eeeeeeee-4444-4000-8000-000000000001';
const LONG = 'ffffffff-4444-4000-8000-000000000002';
const read = { authorization: `Bearer ${testKeys.read}` };

beforeAll(async () => {
  db = await createTestDatabase();
  const start = Date.UTC(2026, 2, 2, 9);
  // 300 turns of 3 messages each: more than one page of the timeline.
  const long = Array.from({ length: 300 }, (_, turn) => turnEvents(LONG, turn, new Date(start + turn * 60_000))).flat();
  await appendEvents(db.sql, [...exportSession(S, 'Export <me>'), ...long], new Date());
  const projector = await startProjector(db.sql, { projections: allProjections });
  await projector.settled();
  await projector.stop();
}, 60_000);
afterAll(() => db?.drop());

const get = (path: string, headers: Record<string, string> = read) => testApp(db.sql).request(path, { headers });

describe('GET /api/conversations/:sessionId/export', () => {
  it('sends Markdown as an attachment named after the title', async () => {
    const res = await get(`/api/conversations/${S}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="export-me-fix-[a-z0-9-]+-eeeeeeee\.md"; filename\*=UTF-8''export-me-fix-[a-z0-9-]+-eeeeeeee\.md$/);
    const md = await res.text();
    expect(md).toMatch(/^# Export &lt;me> fix /);
    expect(md).toContain('| Directory | `/home/alice/app` |');
    expect(md).toContain('## Turn 1 · 2026-03-01 10:00:01 UTC');
    expect(md).toContain(SECRET);
    expect(md).toContain('<summary>Thinking</summary>');
    expect(md).toMatch(/<summary>Bash: cat page\.html \(ok · \d\.\d s\)<\/summary>/);
    expect(md.match(/\*\*Claude\*\*/g)).toHaveLength(2);
    expect(md).toContain('Let me **run** it.');
    expect(md).toContain('The page is fixed.');
  });

  it('sends HTML with every captured string escaped, and redacts on request', async () => {
    const res = await get(`/api/conversations/${S}/export?format=html&redact=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="export-me-fix-app-parser-ts-the-key-is-redacted-eeeeeeee\.html"/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('<title>Export &lt;me&gt; fix ~/app/parser.ts');
    expect(html).not.toContain('alice');
    expect(html).not.toContain(SECRET);
    expect(html).toContain('\nfix ~/app/parser.ts, the key is [redacted]');
    expect(html).toMatch(/<dt>Cost<\/dt><dd>\$\d/);
  });

  it('reads every page of a long timeline', async () => {
    const md = await (await get(`/api/conversations/${LONG}/export`)).text();
    expect(md.match(/^## Turn \d+ /gm)).toHaveLength(300);
    expect(md).toContain('## Turn 300 · ');
    expect(md).toContain('Please fix test 299');
  });

  it('refuses an unknown session, a bad query, and no key', async () => {
    expect((await get('/api/conversations/nope/export')).status).toBe(404);
    const bad = await get(`/api/conversations/${S}/export?format=pdf&redact=yes`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/format.*redact/);
    expect((await get(`/api/conversations/${S}/export`, {})).status).toBe(401);
  });
});
