import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAppender } from '../../core/group-commit.js';
import { describeInBrowser, launchBrowser, screenshot, signIn, startUiServer, type UiServer } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { hookEvent } from '../support/events.js';
import { turnEvents } from '../support/sessions.js';

const first = 'aaaaaaaa-0000-4000-8000-00000000000a';
const second = 'bbbbbbbb-0000-4000-8000-00000000000b';
const hostile = '<img src=x onerror="window.__ran = true">';

let db: TestDatabase;
let server: UiServer;
let browser: Browser;
let appender: ReturnType<typeof createAppender>;

async function stored(where: { type?: string; sessionId?: string } = {}): Promise<number[]> {
  const rows = await db.sql<{ position: number }[]>`
    select position from arrakis.events
     where (${where.type ?? null}::text is null or type = ${where.type ?? null})
       and (${where.sessionId ?? null}::text is null or session_id = ${where.sessionId ?? null})
     order by position desc`;
  return rows.map((row) => row.position);
}

const shown = (page: Page) => page.locator('.events > li.event').evaluateAll((rows) => rows.map((row) => Number((row as unknown as { dataset: { position: string } }).dataset.position)));
const shownTypes = (page: Page) => page.locator('.event-type').allTextContents();

/** A path on the test server (its url ends with a slash). */
const address = (path: string) => new URL(path, server.url).href;

describeInBrowser('the event log inspector', () => {
  // Inside: without Chromium the suite is skipped, and so is its setup.
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startUiServer(db);
    browser = await launchBrowser();
    appender = createAppender(db.sql);
    await appender.append(turnEvents(first, 0, new Date('2026-11-25T10:00:00Z')));
    await appender.append(turnEvents(second, 0, new Date('2026-11-25T10:01:00Z')));
    await appender.append([hookEvent({ sessionId: second, payload: { hook_event_name: 'UserPromptSubmit', session_id: second, prompt: hostile } })]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  it('lists the log newest first and filters it by type and by session', async () => {
    const page = await browser.newPage();
    await signIn(page, address('/events'));
    const all = await stored();
    await expect.poll(() => shown(page)).toEqual(all);
    // j and k move between events; Enter opens one.
    const focused = () => page.locator('li.event:has(.event-toggle:focus)').getAttribute('data-position');
    await page.locator('.event-toggle').first().focus();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    expect(await focused()).toBe(String(all[1]));
    await page.keyboard.press('Enter');
    await page.locator(`li.event[data-position="${all[1]}"] pre.raw-json`).waitFor();

    await page.getByLabel('Type').fill('PreToolUse');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => shown(page)).toEqual(await stored({ type: 'PreToolUse' }));
    expect(new Set(await shownTypes(page))).toEqual(new Set(['PreToolUse']));
    expect(new URL(page.url()).searchParams.get('type')).toBe('PreToolUse');

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Session').fill(second);
    await page.getByRole('button', { name: 'Apply' }).click();
    const ofSecond = await stored({ sessionId: second });
    expect(ofSecond.length).toBeLessThan(all.length);
    await expect.poll(() => shown(page)).toEqual(ofSecond);

    // Back walks through the filters: each is an address.
    await page.goBack();
    await expect.poll(() => shown(page)).toEqual(all);
    await page.goBack();
    await expect.poll(() => shown(page)).toEqual(await stored({ type: 'PreToolUse' }));
    expect(await page.getByLabel('Type').inputValue()).toBe('PreToolUse');
    await page.close();
  });

  it('opens an event onto its raw JSON, pretty-printed as text, and copies it', async () => {
    const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    await signIn(page, address('/events'));
    const [newest] = await stored();
    const row = page.locator(`li.event[data-position="${newest}"]`);
    await row.getByRole('button', { expanded: false }).click();
    const json = row.locator('pre.raw-json');
    await json.waitFor();
    const text = (await json.textContent())!;
    expect(text).toContain(`{\n  "position": ${newest},\n  "transactionId"`);
    expect(JSON.parse(text)).toMatchObject({ position: newest, sessionId: second, payload: { prompt: hostile } });
    // The captured markup is shown, never run.
    expect(await row.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __ran?: boolean }).__ran)).toBeUndefined();

    await row.getByRole('button', { name: `Copy event ${newest} as JSON` }).click();
    await expect.poll(() => row.getByRole('button', { name: `Copy event ${newest} as JSON` }).textContent()).toBe('Copied');
    expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(text);
    await screenshot(page, 'inspector');
    await context.close();
  });

  it('shows exactly the events named by ?positions=, and says which do not exist', async () => {
    const page = await browser.newPage();
    const all = await stored();
    const chosen = [all[1]!, all[4]!, all.at(-1)!];
    await signIn(page, address(`/events?positions=${chosen.join(',')},99999`));
    await expect.poll(() => shown(page)).toEqual(chosen);
    await page.getByText('No event at position 99999').waitFor();
    await page.close();
  });

  it('counts new events while the tail is off, and puts them at the top without a reload while it is on', async () => {
    const page = await browser.newPage();
    await signIn(page, address('/events'));
    await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Live');
    await expect.poll(() => shown(page)).toEqual(await stored());
    await page.evaluate(() => ((globalThis as { __samePage?: boolean }).__samePage = true));

    const [missed] = await appender.append([hookEvent({ sessionId: first })]);
    await page.getByRole('button', { name: '1 new event: show' }).waitFor();
    expect((await shown(page))[0]).not.toBe(missed!.position);

    await page.getByRole('button', { name: 'Live tail' }).click();
    expect(await page.getByRole('button', { name: 'Live tail' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(async () => (await shown(page))[0]).toBe(missed!.position);

    const [tailed] = await appender.append([hookEvent({ sessionId: second })]);
    await expect.poll(async () => (await shown(page))[0]).toBe(tailed!.position);
    expect(await shown(page)).toEqual(await stored());
    expect(await page.evaluate(() => (globalThis as { __samePage?: boolean }).__samePage)).toBe(true);
    await page.close();
  });
});
