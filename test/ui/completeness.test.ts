import { afterAll, beforeAll, expect, it } from 'vitest';
import { envelopeEvents } from '../../core/envelope-events.js';
import { appendEvents } from '../../core/event-store.js';
import { describeInBrowser, openSignedIn, screenshot, type SignedIn } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let app: SignedIn;
const complete = 'eeeeeeee-4444-4000-8000-000000000001';
const gappy = 'ffffffff-4444-4000-8000-000000000002';

/** A turn with the transcript lines its Stop shipped; `skip` blanks one line of the chunk (the hook lost it), leaving a hole. */
function turn(sessionId: string, skip?: number) {
  const path = `/home/dev/.claude/projects/-app/${sessionId}.jsonl`;
  const at = (s: number) => `2026-11-30T10:00:0${s}.000Z`;
  const lines = [
    { type: 'user', uuid: 'u1', sessionId, timestamp: at(1), message: { role: 'user', content: 'list files please' } },
    { type: 'assistant', uuid: 'a1', sessionId, timestamp: at(2), message: { id: `m-${sessionId}`, role: 'assistant', content: [{ type: 'text', text: 'Here they are, all of them.' }] } },
    { type: 'assistant', uuid: 'a2', sessionId, timestamp: at(3), message: { id: `n-${sessionId}`, role: 'assistant', content: [{ type: 'text', text: 'Anything else you need?' }] } },
  ].map((l) => JSON.stringify(l));
  const hook = (event: string, s: number, extra: object = {}, transcript?: Array<{ path: string; offset: number; lines: string[] }>) =>
    envelopeEvents({
      requestId: `${sessionId}-${event}`, event, sessionId, capturedAt: at(s),
      payload: { session_id: sessionId, hook_event_name: event, ...extra }, client: { host: 'alpha' }, ...(transcript ? { transcript } : {}),
    });
  const kept = lines.map((text, i) => (i === skip ? ' '.repeat(Buffer.byteLength(text)) : text));
  return [...hook('SessionStart', 0), ...hook('UserPromptSubmit', 1, { prompt: 'list files please' }), ...hook('Stop', 4, {}, [{ path, offset: 0, lines: kept }])];
}

const badge = () => app.page.getByTestId('completeness-badge');
const open = async (sessionId: string) => {
  await app.page.goto(new URL(`conversations/${sessionId}`, app.server.url).href);
  await app.page.getByTestId('conversation-header').waitFor();
};

describeInBrowser('capture completeness', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    await appendEvents(db.sql, [...turn(complete), ...turn(gappy, 1)], new Date());
    app = await openSignedIn(db, { width: 1200, height: 1400 });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('says a whole conversation is complete', async () => {
    await open(complete);
    await expect.poll(() => badge().textContent()).toBe('Complete');
    expect(await badge().getAttribute('title')).toMatch(/^Capture 100%/);
    await badge().click();
    await expect.poll(() => app.page.getByTestId('completeness-panel').textContent()).toMatch(/No gap/);
    await app.page.keyboard.press('Escape');
    await expect.poll(() => app.page.getByTestId('completeness-panel').count()).toBe(0);
  });

  it('counts the lost line as one gap, names its byte range and links to the log around it', async () => {
    await open(gappy);
    await expect.poll(() => badge().textContent()).toBe('1 gap');
    expect(await badge().getAttribute('aria-expanded')).toBe('false');
    await badge().click();
    const panel = app.page.getByTestId('completeness-panel');
    const gap = panel.locator('li.completeness-gap');
    await expect.poll(() => gap.count()).toBe(1);
    expect(await gap.getAttribute('data-kind')).toBe('range');
    expect(await gap.getAttribute('data-expected')).toBe('false');
    expect(await gap.textContent()).toMatch(new RegExp(`Missing: bytes \\d+–\\d+ of ${gappy}\\.jsonl`));
    expect(await gap.textContent()).toContain('Unexplained');
    await screenshot(app.page, 'completeness-panel');

    const link = gap.getByRole('link');
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/events\?positions=\d+(,\d+)*$/);
    const positions = href!.split('=')[1]!.split(',').map(Number);
    await link.click();
    await app.page.waitForURL((url) => url.pathname === '/events');
    const shown = app.page.locator('li.event');
    await expect.poll(() => shown.count()).toBe(new Set(positions).size);
    const stored = await db.sql<{ position: string }[]>`select position from arrakis.events where session_id = ${gappy}`;
    const ofGappy = new Set(stored.map((r) => Number(r.position)));
    expect(positions.every((p) => ofGappy.has(p))).toBe(true);
  });

  it('shows the overall rate below 100% on the Status page and links to the gappy session', async () => {
    await app.page.goto(new URL('status', app.server.url).href);
    const card = app.page.getByTestId('completeness-card');
    await expect.poll(() => card.getByTestId('completeness-rate').textContent()).toMatch(/^\d{1,2}\.\d\d%$/);
    const rate = Number((await card.getByTestId('completeness-rate').textContent())!.replace('%', ''));
    expect(rate).toBeLessThan(100);
    expect(rate).toBeGreaterThan(80);
    expect(await card.getByTestId('completeness-unexplained').textContent()).toBe('1');
    expect(await card.locator('[data-completeness-host="alpha"]').textContent()).toMatch(/^alpha\d/);
    const sessions = card.locator('.completeness-sessions li');
    expect(await sessions.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-session')))).toEqual([gappy]);
    expect(await sessions.textContent()).toContain('1 gap');
    await card.scrollIntoViewIfNeeded();
    await screenshot(app.page, 'completeness-card');
    await card.getByRole('link', { name: gappy }).click();
    await app.page.waitForURL((url) => url.pathname === `/conversations/${gappy}`);
    await expect.poll(() => badge().textContent()).toBe('1 gap');
  });
});
