import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, launchBrowser, signIn, startUiServer, type UiServer } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describeInBrowser('the UI shell', () => {
  let db: TestDatabase;
  let server: UiServer;
  let browser: Browser;
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startUiServer(db);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  it('asks for a key, signs in with the read key, and shows the stream live', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.getByLabel('Key').fill('not-the-key-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/unknown key/);
    await signIn(page, server.url);
    await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Live');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'arrakis_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.close();
  });

  it('shows reconnecting while the server is down and live again after it returns', async () => {
    const page = await browser.newPage();
    await signIn(page, server.url);
    await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Live');
    await server.stopServer();
    await expect.poll(() => page.getByTestId('connection').textContent()).toMatch(/Reconnecting|Offline/);
    await server.startServer();
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 20_000 }).toBe('Live');
    await page.close();
  });
});
