import { afterAll, beforeAll, expect, it } from 'vitest';
import { envelopeEvents } from '../../core/envelope-events.js';
import { createAppender } from '../../core/group-commit.js';
import { describeInBrowser, openSignedIn, type SignedIn } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { envelope } from '../support/events.js';

let db: TestDatabase;
let ui: SignedIn;

const session = 'dddddddd-4444-4000-8000-000000000004';
const path = `/home/dev/.claude/projects/-home-dev-app/${session}.jsonl`;

/** What Claude Code writes for a `!` shell run and a local slash command, between two hook events. */
function runsByTheUser() {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 24, 9, 0, s)).toISOString();
  const user = (uuid: string, s: number, content: string) =>
    JSON.stringify({ type: 'user', sessionId: session, uuid, timestamp: at(s), message: { role: 'user', content } });
  const lines = [
    user('bash-in', 1, '<bash-input>npm run lint</bash-input>'),
    user('bash-out', 2, '<bash-stdout>\u001b[31m2 problems\u001b[0m</bash-stdout><bash-stderr><b>not bold</b></bash-stderr>'),
    user('slash', 3, '<command-name>/model</command-name>\n<command-message>model</command-message>\n<command-args>opus</command-args>'),
  ];
  const base = { session_id: session, transcript_path: path, cwd: '/home/dev/app' };
  const todos = { tool_name: 'TodoWrite', tool_use_id: 'toolu_todo', tool_input: { todos: [
    { content: 'Read the lint report', status: 'completed', activeForm: 'Reading' },
    { content: 'Fix the <b>two</b> problems', status: 'in_progress', activeForm: 'Fixing' },
    { content: 'Run the tests', status: 'pending', activeForm: 'Running' },
  ] } };
  // Started on the fixed day above and never answered: its session went away.
  const lost = { tool_name: 'Bash', tool_use_id: 'toolu_lost', tool_input: { command: 'npm run dev' } };
  const hook = (requestId: string, event: string, s: number, payload: object) =>
    envelope({ requestId, event, sessionId: session, capturedAt: at(s), payload: { ...base, hook_event_name: event, ...payload } });
  return [
    envelope({ requestId: 'cmd-start', event: 'SessionStart', sessionId: session, capturedAt: at(0), payload: { ...base, hook_event_name: 'SessionStart', source: 'startup' } }),
    envelope({ requestId: 'cmd-prompt', event: 'UserPromptSubmit', sessionId: session, capturedAt: at(4), payload: { ...base, hook_event_name: 'UserPromptSubmit', prompt: 'Fix the lint' }, transcript: [{ path, offset: 0, lines }] }),
    hook('todo-pre', 'PreToolUse', 5, todos),
    hook('todo-post', 'PostToolUse', 6, { ...todos, tool_response: { oldTodos: [], newTodos: todos.tool_input.todos } }),
    hook('lost-pre', 'PreToolUse', 7, lost),
  ].flatMap((e) => envelopeEvents(e));
}

beforeAll(async () => {
  db = await createTestDatabase();
  await createAppender(db.sql).append(runsByTheUser());
  ui = await openSignedIn(db);
}, 60_000);
afterAll(async () => {
  await ui?.close();
  await db?.drop();
});

describeInBrowser('what Claude Code writes, shown for what it is', () => {
  it('shows shell runs and slash commands as command lines and output, not transcript markup', async () => {
    const { page, server } = ui;
    await page.goto(`${server.url}conversations/${session}`);
    const commands = page.locator('.msg[data-kind="command"]');
    await expect.poll(() => commands.count()).toBe(3);
    const shown = await commands.evaluateAll((nodes) => nodes.map((n) => ({ label: n.querySelector('.msg-label')?.textContent ?? '', text: n.querySelector('pre')?.textContent ?? '' })));
    expect(shown.map((s) => s.text)).toEqual(['$ npm run lint', '2 problems\n<b>not bold</b>', '/model opus']);
    expect(shown.map((s) => s.label)).toEqual(['Shell', 'Shell output', 'Slash command']);
    // Markup in the output is text on the page, not elements.
    expect(await commands.nth(1).locator('pre b').count()).toBe(0);
  });

  it('shows a TodoWrite call as its checklist, and a call that never answered as such', async () => {
    const { page, server } = ui;
    await page.goto(`${server.url}conversations/${session}`);
    const todo = page.locator('.msg[data-kind="tool"]').filter({ hasText: 'TodoWrite' });
    await todo.locator('.todo-list').waitFor();
    const items = await todo.locator('.todo-list li').evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-status'), li.textContent?.trim()]));
    expect(items).toEqual([['completed', '☑ Read the lint report'], ['in_progress', '◐ Fix the <b>two</b> problems'], ['pending', '☐ Run the tests']]);
    expect(await todo.locator('.todo-list b').count()).toBe(0);
    const lost = page.locator('.msg[data-kind="tool"]').filter({ hasText: 'npm run dev' });
    expect(await lost.locator('.badge').textContent()).toBe('No result');
    expect(await lost.locator('.badge').getAttribute('title')).toMatch(/^No result arrived; it started /);
  });
});
