import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { envelopeEvents } from '../../core/envelope-events.js';
import { createAppender } from '../../core/group-commit.js';
import { describeInBrowser, openSignedIn, screenshot, type SignedIn } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { envelope } from '../support/events.js';

let db: TestDatabase;
let ui: SignedIn;

const long = 'abababab-7777-4000-8000-000000000007';
const nested = 'cdcdcdcd-8888-4000-8000-000000000008';
const ENTRIES = 10_000;
/** Entry N of the long conversation: a prompt's hook document, one per second. */
const promptKey = (n: number) => `prompt:${long}:hook-${long}-p${n}`;

function hook(sessionId: string, requestId: string, event: string, at: Date, payload: object) {
  return envelopeEvents(envelope({ requestId, event, sessionId, capturedAt: at.toISOString(), payload: { session_id: sessionId, hook_event_name: event, cwd: '/home/dev/app', ...payload } }));
}

function longConversation() {
  const start = Date.UTC(2026, 10, 1, 8);
  return Array.from({ length: ENTRIES }, (_, n) => hook(long, `${long}-p${n}`, 'UserPromptSubmit', new Date(start + n * 1000), { prompt: `Entry number ${n}` })).flat();
}

/** A prompt, a Task call and the subagent run it started, whose messages sit collapsed under the call. */
function nestedConversation() {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 23, 9, 0, s));
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
  return steps.flatMap(([event, s, payload], i) => hook(nested, `${nested}-${i}`, event, at(s), payload));
}

beforeAll(async () => {
  db = await createTestDatabase();
  await createAppender(db.sql).append([...longConversation(), ...nestedConversation()]);
  ui = await openSignedIn(db);
}, 180_000);
afterAll(async () => {
  await ui?.close();
  await db?.drop();
});

const entry = (page: Page, key: string) => page.locator(`.row:has(> .msg[data-key="${key}"])`);

/** The row is drawn and wholly inside the window. */
async function expectInView(page: Page, row: Locator) {
  await expect.poll(async () => {
    const box = await row.boundingBox();
    const height = (await page.evaluate('window.innerHeight')) as number;
    return box && box.y >= 0 && box.y + box.height <= height ? 'in view' : JSON.stringify({ box, height });
  }).toBe('in view');
}

/** The row is marked as the link's target (for a moment) and in view. */
async function expectLanded(page: Page, row: Locator) {
  await expect.poll(() => row.getAttribute('class'), { timeout: 15_000 }).toMatch(/\brow-linked\b/);
  await expectInView(page, row);
}

describeInBrowser('deep links to timeline entries', () => {
  it('opens a 10,000-entry conversation at entry 9,000 and marks it, and follows a new hash', async () => {
    const { page, server } = ui;
    const asked: string[] = [];
    const listen = (request: { url(): string }) => void asked.push(request.url());
    page.on('request', listen);
    await page.goto(`${server.url}conversations/${long}#m-prompt::hook-${long}-p9000`);
    const target = entry(page, promptKey(9000));
    await expectLanded(page, target);
    expect(await target.textContent()).toContain('Entry number 9000');
    await screenshot(page, 'deep-link');
    page.off('request', listen);
    // The page holding it was asked for at once, not reached by reading 9,000 entries first.
    expect(asked.filter((url) => url.includes('/messages?around=')).map((url) => new URL(url).searchParams.get('around'))).toEqual([promptKey(9000)]);
    // The rest loads meanwhile; the page stays on the entry.
    const timeline = page.getByTestId('timeline');
    await expect.poll(() => timeline.getAttribute('data-complete'), { timeout: 30_000 }).toBe('true');
    expect(await timeline.getAttribute('data-count')).toBe(String(ENTRIES));
    await expectInView(page, target);
    await expect.poll(() => target.getAttribute('class'), { timeout: 5_000 }).not.toMatch(/row-linked/);

    // The full key, percent-encoded, is the same anchor; a hash change on the page scrolls too.
    await page.evaluate(`location.hash = ${JSON.stringify(`#m-${encodeURIComponent(promptKey(4321))}`)}`);
    await expectLanded(page, entry(page, promptKey(4321)));
    expect(await page.locator('.conv-problem').count()).toBe(0);

    await page.evaluate(`location.hash = '#m-prompt::hook-nothing-here'`);
    await page.getByText('The linked entry is not in this conversation.').waitFor();
  });

  it('copies an entry’s link from a keyboard-reachable control, and the link lands on it', async () => {
    const { page, server } = ui;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.goto(`${server.url}conversations/${long}`);
    const row = entry(page, promptKey(2));
    const button = row.getByRole('button', { name: 'Copy link to this entry' });
    await button.waitFor();
    // Hidden until hovered or focused, but in the tab order.
    expect(await button.evaluate((b) => b.ownerDocument.defaultView!.getComputedStyle(b).opacity)).toBe('0');
    await button.focus();
    expect(await button.evaluate((b) => b.ownerDocument.defaultView!.getComputedStyle(b).opacity)).toBe('1');
    await page.keyboard.press('Enter');
    await row.getByRole('status').getByText('Copied').waitFor();
    const copied = (await page.evaluate('navigator.clipboard.readText()')) as string;
    expect(copied).toBe(`${server.url}conversations/${long}#m-prompt::hook-${long}-p2`);

    await page.goto(`${server.url}`);
    await page.goto(copied);
    await expectLanded(page, entry(page, promptKey(2)));
  });

  it('opens the collapsed subagent run that holds the linked entry', async () => {
    const { page, server } = ui;
    await page.goto(`${server.url}conversations/${nested}`);
    const toggle = page.getByRole('button', { name: /Subagent Explore: 1 message/ });
    await toggle.waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByText('grep -r needle .').count()).toBe(0);

    await page.evaluate(`location.hash = '#m-tool::toolu_grep'`);
    const grep = entry(page, `tool:${nested}:toolu_grep`);
    await expectLanded(page, grep);
    expect(await grep.getAttribute('data-depth')).toBe('1');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');

    // Opened by a fresh load too.
    await page.goto(`${server.url}`);
    await page.goto(`${server.url}conversations/${nested}#m-tool::toolu_grep`);
    await expectLanded(page, entry(page, `tool:${nested}:toolu_grep`));
  });
});
