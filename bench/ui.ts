/**
 * The UI's heaviest first views in real Chromium against the real server: a conversation of
 * 10,000 messages and the list of 200 conversations, beside two baselines measured in the
 * same run (a static file of the same server, and the UI shell on a route that loads no data).
 * Times run from the navigation's start (the page's own clock) and are medians of a few runs
 * after a warm-up, so the bundle comes from the browser's cache as it does for a returning user.
 * It builds nothing: the UI is served from ARRAKIS_TEST_UI_ROOT, else ui/dist.
 * `tsx bench/ui.ts [--json] [--messages N] [--conversations N] [--runs N]`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { connect } from '../core/db.js';
import { appendEvents } from '../core/event-store.js';
import { createAppender } from '../core/group-commit.js';
import { projectRoot } from '../core/paths.js';
import { startProjector } from '../projections/engine/projector.js';
import { allProjections } from '../projections/index.js';
import { createApp } from '../server/app.js';
import { startChangeFeed } from '../server/feed/change-feed.js';
import { listen } from '../server/http.js';
import { launchBrowser, signIn } from '../test/support/browser.js';
import { turnEvents } from '../test/support/sessions.js';
import { openBenchDatabase } from './support/database.js';
import { runBench } from './support/main.js';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    messages: { type: 'string', default: '10000' },
    conversations: { type: 'string', default: '200' },
    runs: { type: 'string', default: '5' },
  },
});
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// turnEvents makes four timeline messages a turn: the prompt, thinking, text, and a Bash call with its output.
const MESSAGES_PER_TURN = 4;
const TIMEOUT_MS = 60_000;

/** Milliseconds from the navigation's start until `ready` (evaluated in the page) holds. */
async function timeTo(page: Page, url: string, ready: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(`(${ready}) ? performance.now() : false`, undefined, { polling: 'raf', timeout: TIMEOUT_MS });
  return (await handle.jsonValue()) as number;
}

async function timeStatic(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'load' });
  return page.evaluate<number>(`performance.getEntriesByType('navigation')[0].loadEventEnd`);
}

async function measure(runs: number, once: () => Promise<number>): Promise<number> {
  await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  return median(times);
}

async function main(cleanup: Array<() => Promise<void>>) {
  const uiRoot = process.env.ARRAKIS_TEST_UI_ROOT ?? join(projectRoot, 'ui', 'dist');
  if (!existsSync(join(uiRoot, 'index.html'))) throw new Error(`no built UI in ${uiRoot}: run npm run build, or set ARRAKIS_TEST_UI_ROOT`);
  const turns = Math.ceil(Number(args.messages) / MESSAGES_PER_TURN);
  const conversations = Number(args.conversations);
  const runs = Number(args.runs);

  const db = await openBenchDatabase(log);
  cleanup.push(() => db.close());
  const sql = connect(db.url, { max: 10 });
  cleanup.push(() => sql.end({ timeout: 5 }));

  const longSession = `10000000-0000-4000-8000-${randomBytes(6).toString('hex')}`;
  log(`writing a conversation of ${turns * MESSAGES_PER_TURN} messages and ${conversations} short ones`);
  const start = Date.UTC(2026, 10, 1);
  for (let turn = 0; turn < turns; turn += 50) {
    const batch = Array.from({ length: Math.min(50, turns - turn) }, (_, i) => turnEvents(longSession, turn + i, new Date(start + (turn + i) * 10_000))).flat();
    await appendEvents(sql, batch, new Date());
  }
  for (let c = 0; c < conversations; c += 50) {
    const batch = Array.from({ length: Math.min(50, conversations - c) }, (_, i) =>
      turnEvents(`20000000-0000-4000-8000-${String(c + i).padStart(12, '0')}`, 0, new Date(start + (c + i) * 60_000)),
    ).flat();
    await appendEvents(sql, batch, new Date());
  }
  const projector = await startProjector(sql, { projections: allProjections, batchSize: 1000 });
  cleanup.push(() => projector.stop());
  await projector.settled();
  log('projections settled');

  const suffix = () => randomBytes(12).toString('hex');
  const keys = { ingest: `bench-ingest-${suffix()}`, read: `bench-read-${suffix()}`, admin: `bench-admin-${suffix()}` };
  const feed = await startChangeFeed(sql);
  cleanup.push(() => feed.close());
  const server = await listen(createApp({ sql, appender: createAppender(sql), keys, feed, uiRoot }), { port: 0 });
  cleanup.push(() => server.close());
  const browser = await launchBrowser();
  cleanup.push(() => browser.close());
  // The timing probes are strings evaluated in the page, which the UI's CSP (no eval) forbids.
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  await signIn(page, server.url, keys.read);

  const messages = turns * MESSAGES_PER_TURN;
  const firstRowShown = `document.querySelector('.row')?.getBoundingClientRect().top < innerHeight`;
  const headerShown = `!!document.querySelector('[data-testid=conversation-header]')`;
  // Sized for all: every message is a row of the list, and the container is as tall as they are (≥ 30 px each).
  const allSized = `(() => { const t = document.querySelector('[data-testid=timeline]'); return t?.dataset.complete === 'true' && Number(t.dataset.count) === ${messages} && t.getBoundingClientRect().height >= ${messages * 30}; })()`;
  const conversationUrl = `${server.url}conversations/${longSession}`;

  const staticMs = await measure(runs, () => timeStatic(page, `${server.url}favicon.svg`));
  const shellMs = await measure(runs, () => timeTo(page, `${server.url}no-such-page`, `document.querySelector('main h2')?.textContent === 'Not found'`));
  const listMs = await measure(runs, () => timeTo(page, server.url, `document.querySelectorAll('li.conv-row').length >= 20`));
  const firstScreenMs = await measure(runs, () => timeTo(page, conversationUrl, `${headerShown} && ${firstRowShown}`));
  const conversationMs = await measure(runs, () => timeTo(page, conversationUrl, `${headerShown} && ${firstRowShown} && ${allSized}`));
  const rowsInPage = await page.locator('.row').count();

  const figures = {
    messages,
    conversations: conversations + 1,
    baseline_static_ms: staticMs,
    baseline_shell_ms: shellMs,
    list_first_paint_ms: listMs,
    list_vs_shell: listMs / shellMs,
    conversation_first_screen_ms: firstScreenMs,
    conversation_rendered_ms: conversationMs,
    conversation_vs_shell: conversationMs / shellMs,
    rows_in_page: rowsInPage,
  };
  if (args.json) process.stdout.write(`${JSON.stringify({ figures })}\n`);
  else {
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    process.stdout.write(`baseline: static file ${ms(staticMs)}, UI shell without data ${ms(shellMs)} (median of ${runs})\n`);
    process.stdout.write(`conversation list (${figures.conversations} conversations): first rows at ${ms(listMs)} (${figures.list_vs_shell.toFixed(2)}× the shell, ${(listMs / staticMs).toFixed(1)}× the static file; target < 500 ms)\n`);
    process.stdout.write(`conversation of ${messages.toLocaleString('en-US')} messages: first screen at ${ms(firstScreenMs)}, all loaded and sized at ${ms(conversationMs)} (${figures.conversation_vs_shell.toFixed(2)}× the shell; target < 1500 ms); ${rowsInPage} rows in the page\n`);
  }
}

runBench(main);
