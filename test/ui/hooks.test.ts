import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testKeys } from '../support/app.js';
import { describeInBrowser, launchBrowser, screenshot, signIn, startUiServer, type UiServer } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { envelope } from '../support/events.js';

const at = (m: number, s = 0) => new Date(Date.UTC(2026, 10, 25, 9, m, s)).toISOString();

describeInBrowser('the hooks page', () => {
  let db: TestDatabase;
  let server: UiServer;
  let browser: Browser;
  const offsets = new Map<string, number>();

  /** Lines as a hook ships them: each after the last of its host's file. */
  async function ship(host: string, lines: Array<Record<string, unknown>>) {
    let offset = offsets.get(host) ?? 0;
    const entries = lines.map((line) => {
      const text = JSON.stringify(line);
      const entry = { offset, line: text };
      offset += Buffer.byteLength(text) + 1;
      return entry;
    });
    offsets.set(host, offset);
    const response = await fetch(`${server.url}api/hook-logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${testKeys.ingest}` },
      body: JSON.stringify({ host, hookVersion: '1.0.0', file: `/home/dev/.claude/arrakis/logs/capture-2026-11-25.log`, lines: entries }),
    });
    expect(response.status).toBe(201);
  }

  async function deliver(host: string, attempt: number) {
    const response = await fetch(`${server.url}api/claude-hooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${testKeys.ingest}` },
      body: JSON.stringify(envelope({ event: 'Stop', client: { host, hookVersion: '1.0.0', attempt } })),
    });
    expect(response.status).toBe(201);
  }

  const lines = (page: Page) => page.getByTestId('hook-log').locator('li');
  const messages = (page: Page) => page.getByTestId('hook-log').locator('.hl-message').allTextContents();

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startUiServer(db);
    browser = await launchBrowser();
    await deliver('devbox', 1);
    await deliver('devbox', 3);
    await deliver('laptop', 1);
    await ship('devbox', [
      { time: at(0), requestId: 'r1', event: 'PostToolUse', sessionId: 's1', outcome: 'queued', flusher: 'started', spoolDepth: 1 },
      { time: at(1), requestId: 'r1', event: 'PostToolUse', sessionId: 's1', mode: 'background', outcome: 'spooled', status: 0, attempts: 3, error: 'connect ECONNREFUSED 127.0.0.1:8787' },
      { time: at(9), requestId: 'r1', event: 'PostToolUse', sessionId: 's1', mode: 'background', outcome: 'delivered', status: 201, attempts: 4 },
    ]);
    await ship('laptop', [
      { time: at(5), requestId: 'r2', event: 'Notification', sessionId: 's2', outcome: 'dead-letter', status: 413, attempts: 1, error: '413 body exceeds the limit of 2048 bytes (decoded)' },
      { time: at(6), requestId: 'r3', event: 'Stop', sessionId: 's2', outcome: 'delivered', status: 201, attempts: 1, error: '<img src=x onerror="window.pwned=1">' },
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  it('shows each host and the lines posted to /api/hook-logs, newest first, and filters them', async () => {
    const page = await browser.newPage();
    await signIn(page, `${server.url}hooks`);
    await expect.poll(() => lines(page).count(), { timeout: 20_000 }).toBe(5);
    expect(await messages(page)).toEqual([
      'PostToolUse delivered (HTTP 201) after 4 attempts',
      'Stop delivered (HTTP 201) after 1 attempt: <img src=x onerror="window.pwned=1">',
      'Notification dead-letter (HTTP 413) after 1 attempt: 413 body exceeds the limit of 2048 bytes (decoded)',
      'PostToolUse spooled after 3 attempts: connect ECONNREFUSED 127.0.0.1:8787',
      'PostToolUse queued; 1 in the spool',
    ]);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    const devbox = page.getByRole('button', { name: /^devbox/ });
    await expect.poll(() => devbox.textContent()).toMatch(/2 events.*1 retried/);

    await page.getByLabel('Level').selectOption('error');
    await expect.poll(() => messages(page)).toEqual(['Notification dead-letter (HTTP 413) after 1 attempt: 413 body exceeds the limit of 2048 bytes (decoded)']);
    expect(page.url()).toContain('level=error');
    await page.getByLabel('Level').selectOption('');
    await page.getByLabel('Search').fill('econnref');
    await expect.poll(() => messages(page)).toEqual(['PostToolUse spooled after 3 attempts: connect ECONNREFUSED 127.0.0.1:8787']);
    await page.getByLabel('Search').fill('');
    await devbox.click();
    await expect.poll(() => lines(page).count()).toBe(3);
    await expect.poll(() => page.getByTestId('hook-log').locator('.hl-line-host').allTextContents()).toEqual(['devbox', 'devbox', 'devbox']);
    expect(await page.getByLabel('Host', { exact: true }).inputValue()).toBe('devbox');

    // Opened with the keyboard: the line as the hook wrote it, as text.
    await page.getByTestId('hook-log').locator('.hl-line-head').first().focus();
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.hl-source').textContent()).toContain('"error": "connect ECONNREFUSED 127.0.0.1:8787"');
    await screenshot(page, 'hooks');
    await page.close();
  });

  it('adds lines live as hooks ship them, and loads older lines as the list scrolls', async () => {
    const page = await browser.newPage();
    await signIn(page, `${server.url}hooks?host=buildbot`);
    await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Live');
    await expect.poll(() => page.getByText('No line matches these filters.').count()).toBe(1);
    await ship('buildbot', Array.from({ length: 120 }, (_, n) => ({ time: at(30, n % 60), event: 'PreToolUse', outcome: 'delivered', status: 201, attempts: 1, n })));
    await expect.poll(() => lines(page).count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(50);
    await page.getByTestId('hook-log').locator('li').last().scrollIntoViewIfNeeded();
    await expect.poll(async () => {
      await page.getByTestId('hook-log').locator('li').last().scrollIntoViewIfNeeded();
      return lines(page).count();
    }, { timeout: 20_000 }).toBe(120);
    await expect.poll(() => page.getByText('That is the whole log.').count()).toBe(1);
    await ship('buildbot', [{ time: at(59), event: 'SessionEnd', outcome: 'spooled', attempts: 3, error: 'socket hang up' }]);
    await expect.poll(() => messages(page).then((m) => m[0]), { timeout: 20_000 }).toBe('SessionEnd spooled after 3 attempts: socket hang up');
    expect(await lines(page).count()).toBe(121);
    await page.close();
  });
});
