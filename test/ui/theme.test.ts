import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAppender } from '../../core/group-commit.js';
import { describeInBrowser, launchBrowser, screenshot, signIn, startUiServer, type UiServer } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { longLinesSession } from '../support/long-lines.js';
import { turnEvents } from '../support/sessions.js';

const long = 'eeeeeeee-7777-4000-8000-000000000007';
const plain = 'ffffffff-8888-4000-8000-000000000008';

// The palettes of ui/src/styles.css, as computed styles give them.
const palette = {
  light: { bg: 'rgb(250, 247, 242)', surface: 'rgb(255, 255, 255)', text: 'rgb(43, 37, 32)', muted: [104, 94, 85] },
  dark: { bg: 'rgb(23, 20, 15)', surface: 'rgb(33, 29, 23)', text: 'rgb(238, 231, 221)', muted: [169, 158, 145] },
} as const;
type Scheme = keyof typeof palette;
const widths = [1280, 390] as const;

let db: TestDatabase;
let server: UiServer;
let browser: Browser;

async function open(scheme: Scheme, width: number, path = ''): Promise<Page> {
  const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 } });
  const page = await context.newPage();
  await signIn(page, server.url);
  if (path) await page.goto(`${server.url}${path}`);
  return page;
}

const colours = (page: Page) =>
  page.evaluate(() => {
    const root = getComputedStyle(document.documentElement);
    const card = document.querySelector('.conv-list, .card, .msg');
    return { bg: root.backgroundColor, text: root.color, surface: card ? getComputedStyle(card).backgroundColor : null, theme: document.documentElement.dataset.theme ?? null };
  });

/**
 * Every visible piece of text whose colour is below WCAG AA against what is behind it (4.5:1,
 * 3:1 for large text), backgrounds with alpha blended over their ancestors'. Disabled controls are exempt.
 */
function lowContrast(page: Page) {
  return page.evaluate(() => {
    // rgb(r, g, b[, a]), or color(srgb r g b[ / a]) with channels from 0 to 1 (what color-mix() computes to).
    const parse = (c: string): number[] => {
      const m = c.replace(/^color\(srgb/, '').match(/[\d.]+(e-?\d+)?/g)?.map(Number) ?? [0, 0, 0, 0];
      const scale = c.startsWith('color(') ? 255 : 1;
      return [m[0]! * scale, m[1]! * scale, m[2]! * scale, m.length > 3 ? m[3]! : 1];
    };
    const over = (top: number[], under: number[]) => [0, 1, 2].map((i) => top[i]! * top[3]! + under[i]! * (1 - top[3]!)).concat(1);
    const background = (el: Element): number[] => {
      const chain: Element[] = [];
      for (let at: Element | null = el; at; at = at.parentElement) chain.unshift(at);
      return chain.reduce((under, at) => over(parse(getComputedStyle(at).backgroundColor), under), [255, 255, 255, 1]);
    };
    const lum = (c: number[]) => {
      const [r, g, b] = [0, 1, 2].map((i) => c[i]! / 255).map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const ratio = (a: number[], b: number[]) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x! + 0.05) / (y! + 0.05);
    };
    const failures: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('svg, canvas, option, [disabled], [aria-hidden="true"]')) continue;
      if (![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())) continue;
      const rect = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (rect.width === 0 || rect.height === 0 || style.visibility === 'hidden' || Number(style.opacity) < 1) continue;
      const bg = background(el);
      const fg = over(parse(style.color), bg);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const r = ratio(fg, bg);
      if (r < (large ? 3 : 4.5)) failures.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${el.textContent!.trim().slice(0, 30)}" ${r.toFixed(2)}`);
    }
    return failures;
  });
}

/** How many opaque pixels of the usage chart are (within a few levels) the given colour. */
function chartPixels(page: Page, rgb: readonly number[]) {
  return page.getByTestId('usage-chart').locator('canvas').first().evaluate((canvas: HTMLCanvasElement, want) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 200 && [0, 1, 2].every((c) => Math.abs(data[i + c]! - want[c]!) <= 6)) n++;
    return n;
  }, rgb);
}

describeInBrowser('dark mode and the theme toggle', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    const appender = createAppender(db.sql);
    await appender.append(longLinesSession(long, new Date(Date.now() - 20 * 60_000)));
    for (let turn = 0; turn < 3; turn++) await appender.append(turnEvents(plain, turn, new Date(Date.now() - (40 - turn) * 60_000)));
    server = await startUiServer(db);
    await server.projector.settled();
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  for (const width of widths) {
    it(`follows the system's scheme at ${width} px: background, text and surfaces differ by scheme`, async () => {
      const seen: Record<string, Awaited<ReturnType<typeof colours>>> = {};
      for (const scheme of ['light', 'dark'] as const) {
        const page = await open(scheme, width);
        await page.locator(`li.conv-row[data-session="${long}"]`).waitFor();
        seen[scheme] = await colours(page);
        expect(seen[scheme]).toEqual({ bg: palette[scheme].bg, text: palette[scheme].text, surface: palette[scheme].surface, theme: null });
        expect(await page.getByLabel('Theme').inputValue()).toBe('system');
        if (scheme === 'dark') await screenshot(page, width === 390 ? 'conversations-390-dark' : 'conversations-dark');
        await page.context().close();
      }
      expect(seen.light!.bg).not.toBe(seen.dark!.bg);
      expect(seen.light!.text).not.toBe(seen.dark!.text);
    });
  }

  it('follows the toggle, keeps the choice over a reload (set before the app runs) and goes back to the system', async () => {
    const page = await open('light', 1280);
    // What <html> says when the document is parsed, before any module (the app) has run.
    await page.context().addInitScript(() => {
      document.addEventListener('readystatechange', () => {
        if (document.readyState === 'interactive') (window as unknown as { firstTheme: string | null }).firstTheme = document.documentElement.dataset.theme ?? null;
      });
    });
    await page.getByLabel('Theme').selectOption('dark');
    await expect.poll(() => colours(page)).toMatchObject({ bg: palette.dark.bg, text: palette.dark.text, theme: 'dark' });
    expect(await page.evaluate(() => localStorage.getItem('arrakis-theme'))).toBe('dark');

    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { firstTheme: string | null }).firstTheme)).toBe('dark');
    expect(await colours(page)).toMatchObject({ bg: palette.dark.bg, theme: 'dark' });
    expect(await page.getByLabel('Theme').inputValue()).toBe('dark');

    await page.getByLabel('Theme').selectOption('light');
    await expect.poll(() => colours(page)).toMatchObject({ bg: palette.light.bg, text: palette.light.text, theme: 'light' });
    // Light holds while the system turns dark...
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await colours(page)).toMatchObject({ bg: palette.light.bg });
    // ...and System follows it, live.
    await page.getByLabel('Theme').selectOption('system');
    await expect.poll(() => colours(page)).toMatchObject({ bg: palette.dark.bg, theme: null });
    expect(await page.evaluate(() => localStorage.getItem('arrakis-theme'))).toBeNull();
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => colours(page)).toMatchObject({ bg: palette.light.bg });
    await page.context().close();
  });

  it('redraws the usage chart in the palette of the scheme chosen', async () => {
    const page = await open('light', 1280, 'usage');
    await page.getByTestId('usage-chart').locator('canvas').first().waitFor();
    await expect.poll(() => chartPixels(page, palette.light.muted)).toBeGreaterThan(20);
    expect(await chartPixels(page, palette.dark.muted)).toBe(0);
    await page.getByLabel('Theme').selectOption('dark');
    await expect.poll(() => chartPixels(page, palette.dark.muted)).toBeGreaterThan(20);
    expect(await chartPixels(page, palette.light.muted)).toBe(0);
    await screenshot(page, 'usage-dark');
    await page.context().close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    for (const width of widths) {
      it(`keeps text at WCAG AA contrast on every page, ${scheme}, ${width} px`, async () => {
        const page = await open(scheme, width);
        const check = async (path: string, ready: () => Promise<unknown>, shot?: string) => {
          await page.goto(`${server.url}${path}`);
          await ready();
          expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe(palette[scheme].bg);
          expect(await lowContrast(page), path).toEqual([]);
          if (shot && scheme === 'dark' && width === 1280) {
            // Tall enough to show the whole page (the conversation: code, a table, tool output, a diff).
            await page.setViewportSize({ width, height: 1650 });
            await page.evaluate('window.scrollTo(0, 0)');
            await screenshot(page, shot);
            await page.setViewportSize({ width, height: 900 });
          }
        };
        await check('', () => page.locator(`li.conv-row[data-session="${long}"]`).waitFor());
        await check(`conversations/${long}`, async () => {
          await page.locator('.diff-line').first().waitFor();
          await page.locator('.md pre code').first().waitFor();
          await page.locator('.msg[data-kind="tool"] .badge').first().waitFor();
        }, 'conversation-dark');
        // The completeness panel, open.
        await page.locator('button.completeness-badge').click();
        await page.locator('.completeness-panel').waitFor();
        expect(await lowContrast(page), 'completeness panel').toEqual([]);
        await check('status', () => expect.poll(() => page.getByTestId('health-status').textContent()).toMatch(/Healthy|Degraded/), 'dashboard-dark');
        await check('usage', () => page.getByTestId('usage-chart').locator('canvas').first().waitFor());
        await check('events', async () => {
          await page.locator('.events-page .event-toggle').first().click();
          await page.locator('.events-page .raw-json').first().waitFor();
        }, 'inspector-dark');
        await check('hooks', () => page.locator('.hl-page').waitFor());
        await page.context().close();
      });
    }
  }
});
