import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RETRY_REQUESTED } from '../../core/admin-events.js';
import { createAppender } from '../../core/group-commit.js';
import { startProjector, type Projector } from '../../projections/engine/projector.js';
import { testKeys } from '../support/app.js';
import { describeInBrowser, launchBrowser, screenshot, signIn, startUiServer, type UiServer } from '../support/browser.js';
import { counterProjection } from '../support/counter-projection.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { hookEvent } from '../support/events.js';
import { turnEvents } from '../support/sessions.js';

const session = 'cccccccc-0000-4000-8000-00000000000c';
const poisoned = 'dddddddd-0000-4000-8000-00000000000d';

let db: TestDatabase;
let server: UiServer;
let browser: Browser;
// A projection that cannot apply the events of one session: they are parked.
let extra: Projector;
let parkedPosition: number;
let appended: number;

const projection = (page: Page, name: string) => page.locator(`[data-projection="${name}"]`);
const parkedItem = (page: Page) => projection(page, 'poisoned').locator('.parked-event');
const retryResponse = (page: Page) => page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/retry'));

/** A path on the test server (its url ends with a slash). */
const address = (path: string) => new URL(path, server.url).href;

describeInBrowser('the status dashboard', () => {
  // Inside: without Chromium the suite is skipped, and so is its setup.
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startUiServer(db);
    extra = await startProjector(db.sql, { projections: [counterProjection({ name: 'poisoned', poison: (e) => e.sessionId === poisoned })], pollMs: 50 });
    browser = await launchBrowser();
    const appender = createAppender(db.sql);
    const turn = turnEvents(session, 0, new Date());
    await appender.append(turn);
    const [outcome] = await appender.append([hookEvent({ sessionId: poisoned, client: { host: 'devbox', hookVersion: '1.0.0', attempt: 2 } })]);
    parkedPosition = outcome!.position;
    appended = turn.length + 1;
    await server.projector.settled();
    await extra.settled();
  });
  afterAll(async () => {
    await browser?.close();
    await extra?.stop();
    await server?.close();
    await db?.drop();
  });

  it('shows projections with lag and status, the parked event, ingest per minute and hooks by host', async () => {
    // Tall enough for the screenshot to show every card.
    const page = await browser.newPage({ viewport: { width: 1100, height: 2100 } });
    const refused = await fetch(address('/api/claude-hooks'), { method: 'POST', headers: { authorization: 'Bearer not-a-key-0123456789', 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);
    await signIn(page, address('/status'));
    const conversations = projection(page, 'conversations');
    await expect.poll(() => conversations.getByTestId('projection-status').textContent()).toBe('running');
    await expect.poll(() => conversations.getByTestId('projection-lag').textContent()).toBe('0 events');
    await expect.poll(() => projection(page, 'poisoned').getByTestId('projection-parked').textContent()).toBe('1');
    await expect.poll(() => parkedItem(page).textContent()).toMatch(new RegExp(`#${parkedPosition}UserPromptSubmit.*poison event ${parkedPosition}`));
    expect(await parkedItem(page).getByRole('link').getAttribute('href')).toBe(`/events?positions=${parkedPosition}`);

    await expect.poll(() => page.getByRole('img', { name: /events stored in the last 60 minutes/ }).getAttribute('aria-label')).toBe(`${appended} events stored in the last 60 minutes`);
    await expect.poll(() => page.getByRole('img', { name: /refused by this server process/ }).getAttribute('aria-label')).toBe('1 ingest request refused by this server process in the last 60 minutes');
    await expect.poll(() => page.locator('.host h3').allTextContents()).toEqual(expect.arrayContaining(['bench', 'devbox']));
    await expect.poll(() => page.locator('[data-host="devbox"]').textContent()).toMatch(/Retried1/);
    await expect.poll(() => page.getByTestId('health-status').textContent()).toBe('Degraded');
    await screenshot(page, 'dashboard');
    await page.close();
  });

  it('retries a parked event and rebuilds a projection with an admin login: each request is answered 202', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, address('/status'), testKeys.admin);
    const retry = parkedItem(page).getByRole('button', { name: 'Retry' });
    await retry.waitFor();
    const [response] = await Promise.all([retryResponse(page), retry.click()]);
    expect(response.status()).toBe(202);
    await parkedItem(page).getByRole('status').filter({ hasText: 'Retry requested' }).waitFor();

    // Rebuild asks once more, then is requested the same way.
    const stats = projection(page, 'stats');
    await stats.getByRole('button', { name: 'Rebuild…' }).click();
    const [rebuild] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/projections/stats/rebuild')),
      stats.getByRole('button', { name: 'Rebuild stats' }).click(),
    ]);
    expect(rebuild.status()).toBe(202);
    await stats.getByRole('status').filter({ hasText: 'Rebuild requested' }).waitFor();
    await context.close();
  });

  it('offers no retry or rebuild to a read login: the admin buttons are disabled with the reason', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, address('/status'), testKeys.read);
    const retry = parkedItem(page).getByRole('button', { name: 'Retry' });
    await retry.waitFor();
    await expect.poll(() => page.locator('#admin-hint').textContent()).toMatch(/sign in with the admin key/);
    await expect.poll(() => retry.isDisabled()).toBe(true);
    expect(await projection(page, 'conversations').getByRole('button', { name: 'Rebuild…' }).isDisabled()).toBe(true);
    // Only the admin's retry reached the log.
    const [requests] = await db.sql<{ n: number }[]>`select count(*)::int as n from arrakis.events where type = ${RETRY_REQUESTED}`;
    expect(requests!.n).toBe(1);
    await context.close();
  });
});
