/**
 * The read side of bench/scale.ts, in a process of its own: `tsx scale-reads.ts JSON` starts
 * the real HTTP server on a fresh pool over the database the parent built, pages to the reads'
 * cursors, times each read (p50/p95 after a warm-up) and the UI in Chromium, and prints one
 * JSON line `{paths, reads, ui, loadAverage}`. Its own process, so the figures measure the read
 * and not the heap, caches and timers of the process that has just written and folded the log.
 */
import { loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { connect } from '../core/db.js';
import { createAppender } from '../core/group-commit.js';
import { createApp } from '../server/app.js';
import { listen } from '../server/http.js';
import { launchBrowser, signIn } from '../test/support/browser.js';
import { BIG_SESSION, MESSAGES_PER_TURN, SEARCH_WORD } from './scale-log.js';

export interface ReadsRequest {
  url: string;
  keys: { ingest: string; read: string; admin: string };
  uiRoot: string;
  withUi: boolean;
  requests: number;
  warmup: number;
  runs: number;
  /** The big conversation's messages, and how many ordinary sessions the log holds. */
  messages: number;
  sessions: number;
}

export interface ReadsResult {
  paths: Record<string, string>;
  reads: Record<string, { p50: number; p95: number }>;
  ui: Record<string, number>;
  loadAverage: number;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function measure(request: ReadsRequest): Promise<ReadsResult> {
  const sql = connect(request.url, { max: 10, applicationName: 'arrakis-scale-reads' });
  const server = await listen(createApp({ sql, appender: createAppender(sql), keys: request.keys, uiRoot: request.uiRoot }), { port: 0 });
  const auth = { authorization: `Bearer ${request.keys.read}` };
  const get = async (path: string): Promise<unknown> => {
    const response = await fetch(new URL(path, server.url), { headers: auth });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${body.slice(0, 300)}`);
    return JSON.parse(body);
  };
  try {
    const paths = await readPaths(sql, get, request);
    const loadBefore = loadavg()[0]!;
    const times = await interleaved(Object.values(paths), request, get);
    const reads: ReadsResult['reads'] = Object.fromEntries(
      Object.keys(paths).map((name, i) => [name, { p50: quantile(times[i]!, 0.5), p95: quantile(times[i]!, 0.95) }]),
    );
    const loadAverage = (loadBefore + loadavg()[0]!) / 2;
    const conversations = (await sql<{ n: number }[]>`select count(*)::int as n from arrakis.proj_conversations`)[0]!.n;
    const ui = request.withUi ? await measureUi(server.url, request, Math.min(20, conversations)) : {};
    return { paths, reads, ui, loadAverage };
  } finally {
    await server.close();
    await sql.end({ timeout: 5 });
  }
}

/**
 * Each round asks every read once, starting one further along each time, so a stall of the
 * machine (a checkpoint, another process) lands on all the reads alike instead of on the
 * p95 of whichever ran alone through it. Times in the order of `paths`.
 */
async function interleaved(paths: readonly string[], request: ReadsRequest, get: (path: string) => Promise<unknown>): Promise<number[][]> {
  const times = paths.map((): number[] => []);
  for (let round = 0; round < request.warmup + request.requests; round++) {
    for (let k = 0; k < paths.length; k++) {
      const i = (round + k) % paths.length;
      const started = performance.now();
      await get(paths[i]!);
      if (round >= request.warmup) times[i]!.push(performance.now() - started);
    }
  }
  return times;
}

/** The reads measured, by figure name: path (query included), with cursors reached by paging as a client would. */
async function readPaths(sql: ReturnType<typeof connect>, get: (path: string) => Promise<unknown>, request: ReadsRequest): Promise<Record<string, string>> {
  const [{ project } = { project: null }] = await sql<{ project: string | null }[]>`
    select doc->>'project' as project from arrakis.proj_conversations where doc->>'project' is not null and key <> ${BIG_SESSION} order by key limit 1`;
  // A cursor four fifths down the list, with a whole page (50) still after it at either size:
  // beside a shorter last page, the smaller log's figure would be cheaper for reading less.
  // A log too small to leave a page after it keeps four fifths.
  let cursor: string | null = null;
  const fourFifths = Math.floor(request.sessions * 0.8);
  const deep = request.sessions > 60 ? Math.min(fourFifths, request.sessions - 60) : fourFifths;
  for (let seen = 0; seen < deep; ) {
    const page = (await get(`/api/conversations?limit=${Math.min(200, deep - seen)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)) as { items: unknown[]; nextCursor: string | null };
    seen += page.items.length;
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  // The big conversation halfway down, as the timeline pages: a page after= that cursor, and
  // the page around= a message there (a deep link's read).
  let after: string | null = null;
  let middleKey: string | null = null;
  for (let seen = 0; seen < request.messages / 2; ) {
    const page = (await get(`/api/conversations/${BIG_SESSION}/messages${after ? `?after=${encodeURIComponent(after)}` : ''}`)) as { items: Array<{ key: string }>; nextCursor: string | null; hasMore: boolean };
    seen += page.items.length;
    middleKey = page.items.at(-1)?.key ?? middleKey;
    if (!page.hasMore) break;
    after = page.nextCursor;
  }
  const messages = `/api/conversations/${BIG_SESSION}/messages`;
  return {
    conversations: '/api/conversations',
    conversations_project: `/api/conversations?project=${encodeURIComponent(project ?? '')}`,
    conversations_deep_cursor: `/api/conversations${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
    conversations_q: `/api/conversations?q=${SEARCH_WORD}`,
    search_q: `/api/search?q=${SEARCH_WORD}`,
    messages_first_page: messages,
    messages_middle_page: `${messages}${after ? `?after=${encodeURIComponent(after)}` : ''}`,
    messages_around: `${messages}${middleKey ? `?around=${encodeURIComponent(middleKey)}` : ''}`,
    conversation_detail: `/api/conversations/${BIG_SESSION}`,
    stats: '/api/stats',
    usage_daily: '/api/usage/daily',
    events_desc: '/api/events?order=desc',
    health: '/api/health',
  };
}

/** Median of `runs` after one warm-up, as bench/ui.ts: the list's first rows, and the big conversation's first screen and full load. */
async function measureUi(url: string, request: ReadsRequest, shown: number): Promise<Record<string, number>> {
  const browser = await launchBrowser();
  try {
    // The timing probes are strings evaluated in the page, which the UI's CSP (no eval) forbids.
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await signIn(page, url, request.keys.read);
    const timeTo = async (target: string, ready: string) => {
      await page.goto(target, { waitUntil: 'commit' });
      const handle = await page.waitForFunction(`(${ready}) ? performance.now() : false`, undefined, { polling: 'raf', timeout: 120_000 });
      return (await handle.jsonValue()) as number;
    };
    const median = async (once: () => Promise<number>) => {
      await once();
      const times: number[] = [];
      for (let i = 0; i < request.runs; i++) times.push(await once());
      return quantile(times, 0.5);
    };
    const headerShown = `!!document.querySelector('[data-testid=conversation-header]')`;
    const firstRowShown = `document.querySelector('.row')?.getBoundingClientRect().top < innerHeight`;
    // Sized for all: every message a row of the list, the container as tall as they are (≥ 30 px each).
    const expected = Math.ceil(request.messages / MESSAGES_PER_TURN) * MESSAGES_PER_TURN;
    const allLoaded = `(() => { const t = document.querySelector('[data-testid=timeline]'); return t?.dataset.complete === 'true' && Number(t.dataset.count) === ${expected} && t.getBoundingClientRect().height >= ${expected * 30}; })()`;
    const conversation = `${url}conversations/${BIG_SESSION}`;
    return {
      list_first_paint_ms: await median(() => timeTo(url, `document.querySelectorAll('li.conv-row').length >= ${shown}`)),
      conversation_first_screen_ms: await median(() => timeTo(conversation, `${headerShown} && ${firstRowShown}`)),
      conversation_rendered_ms: await median(() => timeTo(conversation, `${headerShown} && ${firstRowShown} && ${allLoaded}`)),
    };
  } finally {
    await browser.close();
  }
}

process.stdout.write(`${JSON.stringify(await measure(JSON.parse(process.argv[2]!) as ReadsRequest))}\n`);
