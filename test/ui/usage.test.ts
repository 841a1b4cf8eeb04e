import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Envelope } from '../../core/envelope.js';
import { envelopeEvents } from '../../core/envelope-events.js';
import { createAppender } from '../../core/group-commit.js';
import { price } from '../../projections/pricing.js';
import { testKeys } from '../support/app.js';
import { describeInBrowser, openSignedIn, screenshot, type UiServer } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { usage } from '../support/transcripts.js';

let db: TestDatabase;
let server: UiServer;
let browser: Browser;
let page: Page;

const alpha = 'aaaaaaaa-7777-4000-8000-000000000001';
const beta = 'bbbbbbbb-7777-4000-8000-000000000002';
const gamma = 'cccccccc-7777-4000-8000-000000000003';
const SONNET = 'claude-sonnet-4-5';
const HAIKU = 'claude-haiku-4-5';

interface Response {
  sessionId: string;
  project: string;
  model: string;
  at: Date;
  tokens: [input: number, output: number, cacheCreation: number, cacheRead: number];
}

const day1 = (h: number) => new Date(Date.UTC(2026, 10, 20, h, 0, 0));
const day2 = (h: number) => new Date(Date.UTC(2026, 10, 21, h, 0, 0));
const seeded: Response[] = [
  { sessionId: alpha, project: 'alpha', model: SONNET, at: day1(10), tokens: [100_000, 20_000, 30_000, 400_000] },
  { sessionId: alpha, project: 'alpha', model: HAIKU, at: day2(9), tokens: [50_000, 10_321, 0, 200_000] },
  { sessionId: beta, project: 'beta', model: SONNET, at: day2(11), tokens: [300_000, 60_000, 10_000, 900_000] },
];
const lateBeta: Response = { sessionId: beta, project: 'beta', model: SONNET, at: day2(15), tokens: [200_000, 41_234, 0, 0] };
// Minutes ago, so that they open the block under way (5 hours from the hour of the first).
const recent = (minutesAgo: number): Response => ({ sessionId: gamma, project: 'gamma', model: SONNET, at: new Date(Date.now() - minutesAgo * 60_000), tokens: [40_000, 8_000, 0, 0] });
const gammaResponses = [recent(12), recent(4)];

let n = 0;
/** A prompt (which names and titles the conversation) and the response's transcript line, as the hook sends them. */
function envelopes(r: Response, prompt: string): Envelope[] {
  n += 1;
  const cwd = `/home/dev/${r.project}`;
  const path = `/home/dev/.claude/projects/-home-dev-${r.project}/${r.sessionId}.jsonl`;
  const base = { session_id: r.sessionId, transcript_path: path, cwd };
  const at = r.at.toISOString();
  const line = JSON.stringify({
    type: 'assistant', sessionId: r.sessionId, uuid: `usage-line-${n}`, timestamp: at, cwd,
    message: { id: `msg_usage_${n}`, model: r.model, role: 'assistant', content: [{ type: 'text', text: `Answer ${n}` }], usage: usage(...r.tokens) },
  });
  const hook = (event: string, payload: object, transcript?: Envelope['transcript']): Envelope => ({
    requestId: `usage-${n}-${event}`, event, sessionId: r.sessionId, capturedAt: at, payload: { ...base, hook_event_name: event, ...payload },
    client: { host: 'devbox', attempt: 1 }, ...(transcript ? { transcript } : {}),
  });
  return [hook('UserPromptSubmit', { prompt }), hook('Stop', { stop_hook_active: false }, [{ path, offset: n * 10_000, lines: [line] }])];
}

const costOf = (r: Response) => price(r.model, usage(...r.tokens), r.at).costUsd!;
const savingsOf = (r: Response) => price(r.model, { input_tokens: r.tokens[3] }, r.at).costUsd! - price(r.model, { cache_read_input_tokens: r.tokens[3] }, r.at).costUsd!;
const sum = (rs: Response[], f: (r: Response) => number) => rs.reduce((total, r) => total + f(r), 0);
// Amounts are chosen away from half cents, so that no sum's rounding depends on the order it was added in.
const usd = (x: number) => `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const count = (x: number) => x.toLocaleString('en-US');

const titles: Record<string, string> = { [alpha]: 'Tune the alpha parser', [beta]: 'Port beta to the new API', [gamma]: 'Gamma under way' };
const range = 'since=2026-11-20&until=2026-11-21&tz=UTC';

beforeAll(async () => {
  db = await createTestDatabase();
  const appender = createAppender(db.sql);
  for (const r of [...seeded, ...gammaResponses]) await appender.append(envelopes(r, titles[r.sessionId]!).flatMap((e) => envelopeEvents(e)));
  ({ server, browser, page } = await openSignedIn(db));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await db?.drop();
});

const total = (id: string) => page.getByTestId(`total-${id}`).textContent();
const legend = () => page.getByTestId('usage-legend').locator('.usage-legend-name').allTextContents();

describeInBrowser('the usage page', () => {
  it('shows the range totals, the chart by model, and the breakdown by project in the address', async () => {
    await page.goto(`${server.url}usage?${range}`);
    await expect.poll(() => total('cost')).toBe(usd(sum(seeded, costOf)));
    expect(await total('input')).toBe(count(sum(seeded, (r) => r.tokens[0])));
    expect(await total('output')).toBe(count(sum(seeded, (r) => r.tokens[1])));
    expect(await total('cache-creation')).toBe(count(sum(seeded, (r) => r.tokens[2])));
    expect(await total('cache-read')).toBe(count(sum(seeded, (r) => r.tokens[3])));
    expect(await total('responses')).toBe('3');
    expect(sum(seeded, savingsOf)).toBeGreaterThan(0);
    expect(await total('savings')).toBe(usd(sum(seeded, savingsOf)));

    expect(await page.getByTestId('usage-chart').locator('canvas').count()).toBeGreaterThan(0);
    expect((await legend()).sort()).toEqual([HAIKU, SONNET]);
    await page.getByRole('group', { name: 'Stack by' }).getByRole('button', { name: 'Project' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('breakdown')).toBe('project');
    await expect.poll(async () => (await legend()).sort()).toEqual(['alpha', 'beta']);
    // Reloading the address shows the same view.
    await page.reload();
    await expect.poll(async () => (await legend()).sort()).toEqual(['alpha', 'beta']);
    expect(await page.getByRole('group', { name: 'Stack by' }).getByRole('button', { name: 'Project' }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'usage');
    // By month: one bar, the same totals; by tokens: the legend counts tokens.
    await page.getByRole('group', { name: 'Period' }).getByRole('button', { name: 'Month' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('period')).toBe('monthly');
    await page.getByRole('heading', { name: 'Cost by month' }).waitFor();
    expect(await total('cost')).toBe(usd(sum(seeded, costOf)));
    await page.getByRole('group', { name: 'Measure' }).getByRole('button', { name: 'Tokens' }).click();
    await page.getByRole('heading', { name: 'Tokens by month' }).waitFor();
    expect(await page.getByTestId('usage-legend').locator('.usage-legend-value').allTextContents()).not.toContainEqual(expect.stringContaining('$'));
  });

  it('lists the top conversations and projects, and a conversation opens from its title', async () => {
    await page.goto(`${server.url}usage?${range}`);
    const sessions = page.getByTestId('top-sessions');
    await sessions.getByRole('link', { name: titles[beta] }).waitFor();
    // Most expensive first; the active block's conversation is outside the range.
    expect(await sessions.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-session')))).toEqual([beta, alpha]);
    expect(await sessions.locator(`tr[data-session="${alpha}"] td`).last().textContent()).toBe(usd(costOf(seeded[0]!) + costOf(seeded[1]!)));
    expect(await page.getByTestId('top-projects').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-project')))).toEqual(['beta', 'alpha']);
    await sessions.getByRole('link', { name: titles[alpha] }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/conversations/${alpha}`);
    await page.getByTestId('conversation-header').getByText(titles[alpha]!).waitFor();
    expect(await page.getByTestId('cost').textContent()).toBe(usd(costOf(seeded[0]!) + costOf(seeded[1]!)));
  });

  it("shows the active block's cost, burn rate, projection and time left", async () => {
    await page.goto(`${server.url}usage?${range}`);
    const block = page.getByTestId('active-block');
    await block.waitFor();
    expect(await block.getByTestId('block-cost').textContent()).toBe(usd(sum(gammaResponses, costOf)));
    expect(await block.getByTestId('block-rate').textContent()).toMatch(/^\$[\d,]+\.\d\d\/h$/);
    expect(await block.getByTestId('block-tpm').textContent()).toMatch(/^[\d,]+$/);
    expect(await block.getByTestId('block-projected').textContent()).toMatch(/^\$[\d,]+\.\d\d$/);
    expect(await block.getByTestId('block-left').textContent()).toMatch(/^(\d+ h \d\d min|\d+ min)$/);
  });

  it('follows new responses live', async () => {
    await page.goto(`${server.url}usage?${range}`);
    await expect.poll(() => total('cost')).toBe(usd(sum(seeded, costOf)));
    for (const body of envelopes(lateBeta, titles[beta]!)) {
      const response = await fetch(`${server.url}api/claude-hooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${testKeys.ingest}` },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(201);
    }
    await expect.poll(() => total('cost'), { timeout: 10_000 }).toBe(usd(sum([...seeded, lateBeta], costOf)));
    expect(await total('responses')).toBe('4');
  });
});

describeInBrowser('cost in the conversation list', () => {
  it('shows each conversation its cost and orders them by cost from the address', async () => {
    const cost = (sessionId: string) => sum([...seeded, lateBeta, ...gammaResponses].filter((r) => r.sessionId === sessionId), costOf);
    await page.goto(server.url);
    const row = (sessionId: string) => page.locator(`li.conv-row[data-session="${sessionId}"]`);
    await row(alpha).waitFor();
    for (const sessionId of [alpha, beta, gamma]) await expect.poll(() => row(sessionId).getByTestId('conversation-cost').textContent()).toBe(usd(cost(sessionId)));
    await page.getByLabel('Order').selectOption('cost');
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('cost');
    const expected = [alpha, beta, gamma].sort((a, b) => cost(b) - cost(a));
    await expect.poll(() => page.locator('li.conv-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-session')))).toEqual(expected);
  });
});
