import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Envelope } from '../../core/envelope.js';
import { startProjector, type Projector } from '../../projections/engine/projector.js';
import { testKeys } from '../support/app.js';
import { describeInBrowser, launchBrowser, signIn, startUiServer, type UiServer } from '../support/browser.js';
import { counterProjection } from '../support/counter-projection.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { envelope } from '../support/events.js';

/**
 * The pages whose own tests do not already feed them markup: the conversation list (title,
 * project, hosts), the status dashboard (hooks by host, a parked event's type) and the hook
 * page. Markup that reached the DOM as markup would show as an element, and the page's
 * Content-Security-Policy would report the inline handler it refused to run.
 */
const PWN = 'window.__pwned=1';
const markup = `<img src=x onerror="${PWN}">`;
// Text first: a prompt that starts with markup reads as injected context and makes no title.
const prompt = `Summarise <script>${PWN}</script>${markup} please`;
const host = `evil${markup}`;
const cwd = `/home/dev/${markup}`;
const session = `s"><svg onload="${PWN}">`;
const hostileType = `Custom${markup}`;

let db: TestDatabase;
let server: UiServer;
let browser: Browser;
let poisoned: Projector;

async function ingest(body: Envelope): Promise<void> {
  const res = await fetch(new URL('/api/claude-hooks', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${testKeys.ingest}` },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
}

/** Records what the page's Content-Security-Policy refused, and any dialog a script opened. */
async function watchedPage(): Promise<{ page: Page; refused: () => Promise<string[]>; dialogs: string[] }> {
  const page = await browser.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.addInitScript(`
    window.__refused = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__refused.push(e.violatedDirective + ' ' + e.blockedURI));
  `);
  return { page, dialogs, refused: () => page.evaluate<string[]>('window.__refused') };
}

async function expectInert(page: Page, refused: () => Promise<string[]>, dialogs: string[]) {
  expect(await page.locator('img[src="x"], svg[onload], [onerror], [onload], main script').count()).toBe(0);
  expect(await page.evaluate('window.__pwned')).toBeUndefined();
  expect(await refused()).toEqual([]);
  expect(dialogs).toEqual([]);
}

describeInBrowser('captured markup on the list, status and hook pages', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startUiServer(db);
    poisoned = await startProjector(db.sql, { projections: [counterProjection({ name: 'poisoned', poison: (e) => e.type === hostileType })], pollMs: 50 });
    browser = await launchBrowser();
    const payload = { session_id: session, hook_event_name: 'UserPromptSubmit', cwd, prompt };
    await ingest(envelope({ sessionId: session, payload, client: { host, hookVersion: markup, attempt: 1 } }));
    await ingest(envelope({ sessionId: session, event: hostileType, payload: { note: markup }, client: { host, attempt: 2 } }));
    await server.projector.settled();
    await poisoned.settled();
  });
  afterAll(async () => {
    await browser?.close();
    await poisoned?.stop();
    await server?.close();
    await db?.drop();
  });

  it('shows the conversation list as text: title, project and host', async () => {
    const { page, refused, dialogs } = await watchedPage();
    await signIn(page, server.url);
    const row = page.locator('li.conv-row').first();
    await expect.poll(() => row.locator('.conv-title').textContent()).toBe(prompt);
    await expect.poll(() => row.textContent()).toContain(host);
    expect(await row.getByRole('link').getAttribute('href')).toBe(`/conversations/${encodeURIComponent(session)}`);
    await expectInert(page, refused, dialogs);
    await page.close();
  });

  it('shows the status dashboard as text: the host and the parked event type', async () => {
    const { page, refused, dialogs } = await watchedPage();
    await signIn(page, new URL('/status', server.url).href);
    await expect.poll(() => page.locator('.host h3').allTextContents()).toContain(host);
    await expect.poll(() => page.locator('.parked-event strong').allTextContents()).toContain(hostileType);
    await expectInert(page, refused, dialogs);
    await page.close();
  });

  it('shows the event log and the hook page as text', async () => {
    const { page, refused, dialogs } = await watchedPage();
    await signIn(page, new URL('/events', server.url).href);
    await page.getByText(hostileType).first().waitFor();
    await expectInert(page, refused, dialogs);
    await page.goto(new URL('/hooks', server.url).href);
    await page.getByText(host).first().waitFor();
    await expectInert(page, refused, dialogs);
    await page.close();
  });
});
