import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Envelope } from '../../core/envelope.js';
import { envelopeEvents } from '../../core/envelope-events.js';
import { createAppender } from '../../core/group-commit.js';
import { testKeys } from '../support/app.js';
import { describeInBrowser, openSignedIn, screenshot, type UiServer } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { envelope } from '../support/events.js';
import { turnEvents } from '../support/sessions.js';

let db: TestDatabase;
let server: UiServer;
let browser: Browser;
let page: Page;

const calm = 'aaaaaaaa-1111-4000-8000-000000000001';
const hostile = 'bbbbbbbb-2222-4000-8000-000000000002';
const long = 'cccccccc-3333-4000-8000-000000000003';
const PWN = 'window.__pwned=1';
const hostilePrompt = `Render this: <script>${PWN}</script> and <img src=x onerror="${PWN}"> please`;
const hostileAnswer = `Here is [x](javascript:${PWN}) and <img src=x onerror="${PWN}"> inline, and a [safe link](https://example.org/docs).`;
const hostileOutput = `<b>bold</b><img src=x onerror="${PWN}"><script>${PWN}</script>`;

/** The hook envelopes of one hostile turn: a prompt, an answer line, a Bash call that prints HTML. */
function hostileEvents() {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 24, 9, 0, s)).toISOString();
  const path = `/home/dev/.claude/projects/-home-dev-app/${hostile}.jsonl`;
  const base = { session_id: hostile, transcript_path: path, cwd: '/home/dev/evil' };
  const answer = JSON.stringify({
    type: 'assistant', sessionId: hostile, uuid: 'hostile-answer', timestamp: at(2),
    message: { id: 'msg_hostile', model: 'claude-sonnet-4-5', role: 'assistant', content: [{ type: 'text', text: hostileAnswer }] },
  });
  const tool = { tool_name: 'Bash', tool_input: { command: 'cat page.html' }, tool_use_id: 'toolu_hostile' };
  const hook = (event: string, s: number, payload: object, transcript?: Envelope['transcript']) =>
    envelope({ requestId: `hostile-${event}`, event, sessionId: hostile, capturedAt: at(s), payload: { ...base, hook_event_name: event, ...payload }, ...(transcript ? { transcript } : {}) });
  return [
    hook('UserPromptSubmit', 0, { prompt: hostilePrompt }),
    hook('PreToolUse', 3, tool, [{ path, offset: 0, lines: [answer] }]),
    hook('PostToolUse', 4, { ...tool, tool_response: { stdout: hostileOutput, stderr: '' }, duration_ms: 40 }),
  ].flatMap((e) => envelopeEvents(e));
}

async function ingest(body: Envelope): Promise<void> {
  const response = await fetch(`${server.url}api/claude-hooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${testKeys.ingest}` },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
}

const hookFor = (sessionId: string, event: string, payload: object) =>
  envelope({ sessionId, event, capturedAt: new Date().toISOString(), payload: { session_id: sessionId, hook_event_name: event, cwd: '/home/dev/app', ...payload } });

beforeAll(async () => {
  db = await createTestDatabase();
  const appender = createAppender(db.sql);
  for (let turn = 0; turn < 2; turn++) await appender.append(turnEvents(calm, turn, new Date(Date.UTC(2026, 10, 25, 10, turn))));
  await appender.append(hostileEvents());
  for (let turn = 0; turn < 150; turn++) await appender.append(turnEvents(long, turn, new Date(Date.UTC(2026, 10, 20, 8, 0, turn * 10))));
  ({ server, browser, page } = await openSignedIn(db));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await db?.drop();
});

const rowOf = (sessionId: string) => page.locator(`li.conv-row[data-session="${sessionId}"]`);

describeInBrowser('the conversations list', () => {
  it('lists conversations newest first and shows a new one without a reload', async () => {
    await page.goto(server.url);
    await rowOf(calm).waitFor();
    expect(await page.locator('li.conv-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-session')))).toEqual([calm, hostile, long]);
    await expect.poll(() => rowOf(calm).textContent()).toMatch(/Please fix test 0.*2 prompts/);

    const fresh = randomUUID();
    await ingest(hookFor(fresh, 'UserPromptSubmit', { prompt: 'A conversation that started just now' }));
    await rowOf(fresh).waitFor();
    expect(await page.locator('li.conv-row').first().getAttribute('data-session')).toBe(fresh);
    expect(await rowOf(fresh).textContent()).toMatch(/A conversation that started just now.*just now/);
    // Days without an event and no SessionEnd (a closed terminal sends none): it reads Idle.
    expect(await rowOf(calm).locator('.badge').textContent()).toBe('Idle');
    expect(await rowOf(fresh).locator('.badge').textContent()).toBe('Active');
    await screenshot(page, 'conversations');
  });

  it('keeps filters in the address bar and moves with j/k and Enter', async () => {
    await page.goto(`${server.url}?status=ended`);
    await expect.poll(() => page.getByText('No conversation matches these filters.').isVisible()).toBe(true);
    await page.goto(`${server.url}?q=render`);
    await rowOf(hostile).waitFor();
    expect(await page.locator('li.conv-row').count()).toBe(1);
    await page.getByLabel('Search').fill('');
    await expect.poll(() => new URL(page.url()).search).toBe('');
    await rowOf(long).waitFor();
    const second = await page.locator('li.conv-row').nth(1).getAttribute('data-session');
    // Escape leaves the search box, so that the keys go to the list.
    await page.getByLabel('Search').press('Escape');
    for (const key of ['j', 'j', 'k', 'ArrowDown', 'ArrowUp', 'j']) await page.keyboard.press(key);
    expect(await page.evaluate("document.activeElement?.closest('li')?.getAttribute('data-session')")).toBe(second);
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/conversations/${second}`);
  });
});

describeInBrowser('the conversation view', () => {
  it('shows the header and the timeline, and appends new messages and tool results live', async () => {
    await page.goto(`${server.url}conversations/${calm}`);
    await page.getByTestId('conversation-header').getByText('Please fix test 0').waitFor();
    await page.getByText('I will run the tests for 1.').waitFor();
    expect(await page.getByTestId('cost').textContent()).toMatch(/^\$\d+\.\d\d$/);
    // At the bottom, the view follows what comes in.
    await expect.poll(() => page.getByTestId('timeline').getAttribute('data-complete')).toBe('true');
    await page.getByRole('button', { name: 'Latest' }).click();

    await ingest(hookFor(calm, 'UserPromptSubmit', { prompt: 'One more question, asked live' }));
    await page.locator('.msg[data-kind="prompt"]').getByText('One more question, asked live').waitFor();
    const tool = { tool_name: 'Bash', tool_input: { command: 'echo live-tool' }, tool_use_id: 'toolu_live' };
    await ingest(hookFor(calm, 'PreToolUse', tool));
    const card = page.locator('.msg[data-kind="tool"]').filter({ hasText: 'echo live-tool' });
    await expect.poll(() => card.getAttribute('data-status')).toBe('running');
    await ingest(hookFor(calm, 'PostToolUse', { ...tool, tool_response: { stdout: 'printed by the live tool', stderr: '' } }));
    await card.getByText('printed by the live tool').waitFor();
    expect(await card.getAttribute('data-status')).toBe('ok');

    // A transcript line shipped late sorts before messages already shown: it must still appear, in its place.
    const line = JSON.stringify({
      type: 'assistant', sessionId: calm, uuid: 'late-line', timestamp: new Date(Date.now() - 60_000).toISOString(),
      message: { id: 'msg_late', model: 'claude-sonnet-4-5', role: 'assistant', content: [{ type: 'text', text: 'A line written before the live prompt' }] },
    });
    await ingest({ ...hookFor(calm, 'Notification', { message: 'Claude is waiting for your input' }), transcript: [{ path: `/home/dev/.claude/projects/-home-dev-app/${calm}.jsonl`, offset: 900_000, lines: [line] }] });
    const late = page.locator('.row').filter({ hasText: 'A line written before the live prompt' });
    await late.waitFor();
    const asked = page.locator('.row').filter({ hasText: 'One more question, asked live' });
    expect(Number(await late.getAttribute('data-index'))).toBeLessThan(Number(await asked.getAttribute('data-index')));
    await page.locator('.row').filter({ hasText: 'Claude is waiting for your input' }).waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await page.getByTestId('conversation-header').waitFor();
    await screenshot(page, 'conversation');
  });

  it('links each message to its source events and opens them', async () => {
    await page.goto(`${server.url}conversations/${calm}`);
    const prompt = page.locator('.msg[data-kind="prompt"]').filter({ hasText: 'Please fix test 0' });
    await prompt.getByRole('button', { name: /events?$/ }).click();
    const drawer = page.getByTestId('sources');
    await drawer.getByRole('heading', { name: /#\d+ · UserPromptSubmit/ }).waitFor();
    expect(await drawer.locator('pre').first().textContent()).toContain('"prompt": "Please fix test 0"');
    const href = await drawer.getByRole('link', { name: 'Open in the log' }).getAttribute('href');
    const [position] = await db.sql<{ position: number }[]>`select position from arrakis.events where request_id = ${`${calm}-0-UserPromptSubmit`}`;
    expect(href).toMatch(new RegExp(`^/events\\?positions=(\\d+,)*${position!.position}(,\\d+)*$`));
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.isVisible()).toBe(false);
  });

  it('shows hostile content as inert text', async () => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${server.url}conversations/${hostile}`);
    const timeline = page.getByTestId('timeline');
    await timeline.getByText(hostilePrompt).waitFor();
    await timeline.getByText(hostileOutput).waitFor();
    const link = timeline.getByRole('link', { name: 'x', exact: true }).or(timeline.locator('.md a', { hasText: /^x$/ }));
    await link.waitFor();
    expect(await link.getAttribute('href')).toBeNull();
    expect(await timeline.getByRole('link', { name: 'safe link' }).getAttribute('href')).toBe('https://example.org/docs');
    // The raw HTML in the answer is shown as written, not as an element.
    await timeline.locator('.md').getByText(`<img src=x onerror="${PWN}">`).waitFor();
    expect(await timeline.locator('img, script, [onerror]').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it("nests a subagent's messages under the call that started it", async () => {
    const nested = randomUUID();
    const at = (s: number) => new Date(Date.UTC(2026, 10, 23, 9, 0, s)).toISOString();
    const task = { tool_name: 'Task', tool_input: { description: 'Find the needle', prompt: 'Look for the needle', subagent_type: 'Explore' }, tool_use_id: 'toolu_task' };
    const grep = { tool_name: 'Bash', tool_input: { command: 'grep -r needle .' }, tool_use_id: 'toolu_grep', agent_id: 'agent-1' };
    const steps: Array<[string, number, object]> = [
      ['UserPromptSubmit', 0, { prompt: 'Where is the needle?' }],
      ['PreToolUse', 1, task],
      ['SubagentStart', 2, { agent_id: 'agent-1', agent_type: 'Explore' }],
      ['PreToolUse', 3, grep],
      ['PostToolUse', 4, { ...grep, tool_response: { stdout: './hay/stack.txt: needle', stderr: '' } }],
      ['SubagentStop', 5, { agent_id: 'agent-1', agent_type: 'Explore', last_assistant_message: 'It is in hay/stack.txt' }],
      ['PostToolUse', 6, { ...task, tool_response: { agentId: 'agent-1', content: [{ type: 'text', text: 'It is in hay/stack.txt' }] } }],
    ];
    for (const [event, s, payload] of steps) await ingest({ ...hookFor(nested, event, payload), capturedAt: at(s) });
    await page.goto(`${server.url}conversations/${nested}`);
    const call = page.locator('.row[data-depth="0"]').filter({ hasText: 'Find the needle' });
    await call.getByRole('button', { name: /Subagent Explore: 1 message/ }).waitFor();
    expect(await page.getByText('grep -r needle .').count()).toBe(0);
    await call.getByRole('button', { name: /Subagent Explore/ }).click();
    await page.locator('.row[data-depth="1"]').filter({ hasText: 'grep -r needle .' }).getByText('./hay/stack.txt: needle').waitFor();
    await page.locator('.row[data-depth="1"]').filter({ hasText: 'Subagent Explore finished' }).waitFor();
  });

  it('keeps a long conversation virtualised: few rows in the page, all of them reachable', async () => {
    await page.goto(`${server.url}conversations/${long}`);
    const timeline = page.getByTestId('timeline');
    await expect.poll(() => timeline.getAttribute('data-complete')).toBe('true');
    expect(await timeline.getAttribute('data-count')).toBe('600');
    const drawn = await timeline.locator('.row').count();
    expect(drawn).toBeGreaterThan(3);
    expect(drawn).toBeLessThan(60);
    await page.getByRole('button', { name: 'Latest' }).click();
    await timeline.getByText('I will run the tests for 149.').waitFor();
    expect(await timeline.getByText('I will run the tests for 0.').count()).toBe(0);
  });
});
