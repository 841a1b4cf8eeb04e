import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAppender } from '../../core/group-commit.js';
import { describeInBrowser, launchBrowser, screenshot, signIn, startUiServer, type UiServer } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { longLinesSession } from '../support/long-lines.js';
import { turnEvents } from '../support/sessions.js';

const long = 'eeeeeeee-5555-4000-8000-000000000005';
const plain = 'ffffffff-6666-4000-8000-000000000006';
const PHONE = { width: 390, height: 844 };

let db: TestDatabase;
let server: UiServer;
let browser: Browser;

/**
 * The page's width beside the viewport's, and, when wider, the elements that stick out past it
 * and are not inside something that scrolls on its own (what to fix).
 */
function overflow(page: Page) {
  return page.evaluate((limit) => {
    const scrolls = (el: Element | null): boolean => {
      for (let at = el?.parentElement; at && at !== document.body; at = at.parentElement) {
        const style = getComputedStyle(at);
        if (/(auto|scroll|hidden|clip)/.test(style.overflowX)) return true;
      }
      return false;
    };
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > limit + 0.5 && !scrolls(el))
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
    return { scrollWidth: document.documentElement.scrollWidth, wide };
  }, PHONE.width);
}

async function expectNoSidewaysScroll(page: Page) {
  const seen = await overflow(page);
  expect(seen.wide, `page is ${seen.scrollWidth}px wide`).toEqual([]);
  expect(seen.scrollWidth).toBeLessThanOrEqual(PHONE.width);
}

describeInBrowser('the UI on a 390 px wide phone', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    db = await createTestDatabase();
    const appender = createAppender(db.sql);
    await appender.append(longLinesSession(long, new Date(Date.now() - 20 * 60_000)));
    for (let turn = 0; turn < 3; turn++) await appender.append(turnEvents(plain, turn, new Date(Date.now() - (40 - turn) * 60_000)));
    server = await startUiServer(db);
    await server.projector.settled();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    page = await context.newPage();
    await signIn(page, server.url);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  it('lists conversations without sideways scrolling, the navigation wrapped', async () => {
    await page.goto(server.url);
    await page.locator(`li.conv-row[data-session="${long}"]`).waitFor();
    await expectNoSidewaysScroll(page);
    // Every main link stays on screen.
    const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').evaluateAll((as) => as.map((a) => a.getBoundingClientRect().right));
    expect(links.length).toBe(5);
    for (const right of links) expect(right).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'conversations-390');
  });

  it('shows a conversation with long lines, code and tool output: only code scrolls, inside itself', async () => {
    await page.goto(`${server.url}conversations/${long}`);
    await page.getByTestId('conversation-header').waitFor();
    const diff = page.locator('.msg[data-kind="tool"]').filter({ hasText: 'a-handler-with-a-long-file-name' });
    await diff.locator('.diff-line').first().waitFor();
    await page.locator('.msg pre code').first().waitFor();
    await expect.poll(() => page.getByTestId('timeline').getAttribute('data-complete')).toBe('true');
    await expectNoSidewaysScroll(page);
    // The code block is wider than its box and scrolls inside it.
    const code = await page.locator('.md pre').first().evaluate((pre) => ({ scroll: pre.scrollWidth, client: pre.clientWidth, overflowX: getComputedStyle(pre).overflowX }));
    expect(code.scroll).toBeGreaterThan(code.client);
    expect(code.overflowX).toBe('auto');
    // Prose wraps: the message is no wider than the screen.
    const prose = await page.locator('.msg[data-kind="prompt"]').first().evaluate((m) => m.getBoundingClientRect().right);
    expect(prose).toBeLessThanOrEqual(PHONE.width);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'conversation-390');
  });

  it('shows Status and Usage with their tables scrolling inside their own boxes', async () => {
    await page.goto(`${server.url}status`);
    await page.locator('[data-projection="conversations"]').waitFor();
    await expect.poll(() => page.getByTestId('health-status').textContent()).not.toBe('');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'status-390');

    await page.goto(`${server.url}usage`);
    await expect.poll(() => page.getByTestId('total-responses').textContent()).not.toBe('0');
    await page.getByTestId('usage-chart').locator('canvas').first().waitFor();
    await expectNoSidewaysScroll(page);
    // The chart fits the screen.
    expect(await page.getByTestId('usage-chart').evaluate((c) => c.getBoundingClientRect().right)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'usage-390');
  });

  it('shows the log and the hooks page without sideways scrolling', async () => {
    await page.goto(`${server.url}events`);
    await page.locator('.events-page .event').first().waitFor();
    await expectNoSidewaysScroll(page);
    await page.locator('.events-page .event-toggle').first().click();
    await page.locator('.events-page .raw-json').first().waitFor();
    await expectNoSidewaysScroll(page);
    await page.goto(`${server.url}hooks`);
    await page.locator('.hl-page').waitFor();
    await expectNoSidewaysScroll(page);
  });
});
