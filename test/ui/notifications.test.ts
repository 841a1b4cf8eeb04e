import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Envelope } from '../../core/envelope.js';
import { testKeys } from '../support/app.js';
import { describeInBrowser, launchBrowser, screenshot, signIn, startUiServer, type UiServer } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { envelope } from '../support/events.js';

let db: TestDatabase;
let server: UiServer;
let browser: Browser;

/**
 * The real Notification stays underneath; each construction (and each permission request) is
 * recorded into window, so the test reads what the page showed. Plain JS: it runs in the page.
 */
const recordNotifications = `(() => {
  const Real = window.Notification;
  window.__notes = [];
  window.__asked = 0;
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      window.__notes.push({ title, body: options && options.body });
      window.__last = this;
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
  Object.defineProperty(Recorded, 'requestPermission', {
    value: (...args) => { window.__asked += 1; return Real.requestPermission(...args); },
  });
  window.Notification = Recorded;
})();`;

async function openPage(grant: boolean): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  if (grant) await context.grantPermissions(['notifications'], { origin: new URL(server.url).origin });
  await context.addInitScript(recordNotifications);
  const page = await context.newPage();
  await signIn(page, server.url);
  return { context, page };
}

let clock = Date.now();
async function hook(sessionId: string, project: string, event: string, payload: object = {}): Promise<void> {
  clock += 1000;
  const body: Envelope = envelope({
    sessionId, event, capturedAt: new Date(clock).toISOString(),
    payload: { session_id: sessionId, hook_event_name: event, cwd: `/home/dev/${project}`, ...payload },
  });
  const response = await fetch(`${server.url}api/claude-hooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${testKeys.ingest}` },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
}
const permissionPrompt = { message: 'Claude needs your permission to use Bash', notification_type: 'permission_prompt' };

const notes = (page: Page) => page.evaluate(() => (globalThis as unknown as { __notes: Array<{ title: string; body?: string }> }).__notes);
const asked = (page: Page) => page.evaluate(() => (globalThis as unknown as { __asked: number }).__asked);

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startUiServer(db);
  await server.projector.settled();
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await db?.drop();
});

describeInBrowser('browser notifications', () => {
  it('notifies once per wait and end with project and title, never for a muted project, and not again after a reload', async () => {
    const { context, page } = await openPage(true);
    await page.getByTestId('connection').getByText('Live').waitFor();
    // Nothing is asked, and nothing shown, before the reader opts in.
    const before = randomUUID();
    await hook(before, 'app', 'Notification', permissionPrompt);
    // The list follows the same stream: once the row is there, so was the frame.
    await page.locator(`li.conv-row[data-session="${before}"]`).waitFor();
    expect([await asked(page), await notes(page)]).toEqual([0, []]);
    await page.getByRole('button', { name: 'Notify me' }).click();
    await page.getByRole('button', { name: 'Notifying' }).waitFor();

    const a = randomUUID();
    await hook(a, 'app', 'UserPromptSubmit', { prompt: 'Refactor the parser' });
    await hook(a, 'app', 'Notification', permissionPrompt);
    // Each frame carries its conversation as it is by then: a wait already over is no news.
    await expect.poll(() => notes(page)).toHaveLength(1);
    // Still the same wait: no second notification.
    await hook(a, 'app', 'Notification', { message: 'Claude is waiting for your input', notification_type: 'idle_prompt' });
    await hook(a, 'app', 'SessionEnd', { reason: 'prompt_input_exit' });
    await expect.poll(() => notes(page)).toHaveLength(2);
    expect(await notes(page)).toEqual([
      { title: 'app needs your permission', body: 'Refactor the parser' },
      { title: 'app ended', body: 'Refactor the parser' },
    ]);

    // Clicking one opens its conversation.
    await page.evaluate(() => (globalThis as unknown as { __last: EventTarget }).__last.dispatchEvent(new Event('click')));
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/conversations/${a}`);

    // Muting the project just notified is one click in the settings.
    await page.getByTestId('notify-settings').click();
    await page.getByRole('button', { name: 'Mute app' }).waitFor();
    await screenshot(page, 'notifications');
    await page.getByRole('button', { name: 'Mute app' }).click();
    await page.getByRole('button', { name: 'Unmute app' }).waitFor();
    await page.keyboard.press('Escape');
    const muted = randomUUID();
    await hook(muted, 'app', 'UserPromptSubmit', { prompt: 'Muted work' });
    await hook(muted, 'app', 'Notification', permissionPrompt);
    const other = randomUUID();
    await hook(other, 'other', 'UserPromptSubmit', { prompt: 'Other work' });
    await hook(other, 'other', 'Notification', permissionPrompt);
    await expect.poll(() => notes(page)).toHaveLength(3);
    expect((await notes(page))[2]).toEqual({ title: 'other needs your permission', body: 'Other work' });

    // After a reload, the waits already notified stay quiet; only a new one notifies.
    await page.reload();
    await page.getByTestId('connection').getByText('Live').waitFor();
    await page.getByRole('button', { name: 'Notifying' }).waitFor();
    await hook(other, 'other', 'Notification', { message: 'Claude is waiting for your input', notification_type: 'idle_prompt' });
    await hook(a, 'app', 'Notification', { message: 'late', notification_type: 'auth_success' });
    await hook(other, 'other', 'SessionEnd', { reason: 'other' });
    await expect.poll(() => notes(page)).toHaveLength(1);
    expect(await notes(page)).toEqual([{ title: 'other ended', body: 'Other work' }]);
    expect(await page.evaluate("JSON.parse(localStorage.getItem('arrakis.notify.muted') ?? '[]')")).toEqual(['app']);
    await context.close();
  });

  it('explains when the browser blocks notifications', async () => {
    const { context, page } = await openPage(false);
    await context.clearPermissions();
    await page.getByRole('button', { name: 'Notify me' }).click();
    await expect.poll(() => page.getByTestId('notify-note').textContent()).toMatch(/allow/i);
    expect(await asked(page)).toBe(1);
    await page.getByRole('button', { name: 'Notify me' }).waitFor();
    await context.close();
  });
});
