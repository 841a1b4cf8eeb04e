import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe } from 'vitest';
import { createAppender } from '../../core/group-commit.js';
import { startProjector, type Projector } from '../../projections/engine/projector.js';
import { allProjections } from '../../projections/index.js';
import { createApp } from '../../server/app.js';
import { startChangeFeed, type ChangeFeed } from '../../server/feed/change-feed.js';
import { listen, type RunningServer } from '../../server/http.js';
import { testKeys } from './app.js';
import type { TestDatabase } from './database.js';

/** Chromium as installed by `apt-get install chromium`; override with CHROMIUM_PATH. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * `describe` for browser tests: without Chromium they are skipped with a notice, except where
 * ARRAKIS_REQUIRE_BROWSER is set (CI), where a missing browser must fail, not skip.
 */
export const describeInBrowser = describe.skipIf(!existsSync(chromiumPath) && !process.env.ARRAKIS_REQUIRE_BROWSER);
if (!existsSync(chromiumPath) && !process.env.ARRAKIS_REQUIRE_BROWSER) {
  process.stderr.write(`browser tests skipped: no Chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)\n`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface UiServer {
  url: string;
  port: number;
  projector: Projector;
  /** Stops the HTTP server and its feed (the projector keeps running), as a crash or restart would. */
  stopServer(): Promise<void>;
  /** Starts them again on the same port. */
  startServer(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real server (built UI, API, change feed) and a projector on a test database. The UI is
 * served from ARRAKIS_TEST_UI_ROOT when set (a build of one's own), else ui/dist.
 */
export async function startUiServer(db: TestDatabase): Promise<UiServer> {
  const projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
  const uiRoot = process.env.ARRAKIS_TEST_UI_ROOT;
  let feed: ChangeFeed | null = null;
  let server: RunningServer | null = null;
  let port = 0;
  const startServer = async () => {
    feed = await startChangeFeed(db.sql, { pollMs: 50 });
    server = await listen(createApp({ sql: db.sql, appender: createAppender(db.sql), keys: testKeys, feed, uiRoot, heartbeatMs: 1000 }), { port, graceMs: 200 });
    port = server.port;
  };
  const stopServer = async () => {
    await feed?.close();
    await server?.close();
    feed = null;
    server = null;
  };
  await startServer();
  return {
    url: server!.url,
    port,
    projector,
    startServer,
    stopServer,
    async close() {
      await stopServer();
      await projector.stop();
    },
  };
}

/** The real server on `db`, its projections settled, and a page signed in with the read key. */
export async function openSignedIn(db: TestDatabase, viewport = { width: 1200, height: 900 }): Promise<SignedIn> {
  const server = await startUiServer(db);
  await server.projector.settled();
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport });
  await signIn(page, server.url);
  return {
    server,
    browser,
    page,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

export interface SignedIn {
  server: UiServer;
  browser: Browser;
  page: Page;
  /** Closes the browser, then the server and its projector; the database is the caller's. */
  close(): Promise<void>;
}

/** Signs the page in with the read key through the login form. */
export async function signIn(page: Page, url: string, key = testKeys.read): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Where test runs leave screenshots of the main pages (`npm run screenshots` refreshes docs/). */
export const screenshotDir = process.env.ARRAKIS_SCREENSHOT_DIR ?? join(tmpdir(), 'arrakis-screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const file = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
