import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendEvents } from '../../core/event-store.js';
import { describeInBrowser, openSignedIn, type UiServer } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { exportSession, HOSTILE, SECRET } from '../support/export-session.js';

let db: TestDatabase;
let server: UiServer;
let browser: Browser;
let page: Page;
const S = 'abababab-6666-4000-8000-000000000001';

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'arrakis-ui-export-'));
  await appendEvents(db.sql, exportSession(S, 'Export from the page'), new Date());
  ({ server, browser, page } = await openSignedIn(db));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

let dir: string;

/** Clicks the link and saves what the browser downloads under the name the server gave it. */
async function download(name: 'Markdown' | 'HTML') {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), text: await readFile(path, 'utf8'), path };
}

describeInBrowser('exporting a conversation', () => {
  it('downloads Markdown, then redacted HTML that shows tool output as text and runs nothing', async () => {
    await page.goto(`${server.url}conversations/${S}`);
    const button = page.getByTestId('conversation-header').getByRole('button', { name: 'Export' });
    await button.click();
    expect(await button.getAttribute('aria-expanded')).toBe('true');

    const md = await download('Markdown');
    expect(md.name).toMatch(/^export-from-the-page-.*-abababab\.md$/);
    expect(md.text).toContain('## Turn 1 · 2026-03-01 10:00:01 UTC');
    expect(md.text).toContain(SECRET);

    await button.click();
    await page.getByLabel('Redact paths and secrets').check();
    const html = await download('HTML');
    expect(html.name).toMatch(/\.html$/);
    expect(html.text).not.toContain(HOSTILE);
    expect(html.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.text).not.toContain(SECRET);
    expect(html.text).not.toContain('alice');

    // The file opened on its own: styled, readable, and the script it mentions stays text.
    const viewer = await browser.newPage();
    const dialogs: string[] = [];
    viewer.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await viewer.goto(`file://${html.path}`);
    await viewer.getByRole('heading', { level: 1 }).waitFor();
    await viewer.locator('details.tool summary').first().click();
    expect(await viewer.locator('pre.out').first().textContent()).toBe(HOSTILE);
    expect(await viewer.locator('script, img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await viewer.close();
  });
});
