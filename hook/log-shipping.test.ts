import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hookLogRequestId } from '../core/hook-log-line.js';
import { testKeys } from '../test/support/app.js';
import { hookHarness } from '../test/support/hook-harness.js';
import { hookSandbox, runHook, settled } from '../test/support/hook.js';

let harness: Awaited<ReturnType<typeof hookHarness>>;
const down = 'http://127.0.0.1:9/api/claude-hooks';

beforeAll(async () => {
  harness = await hookHarness();
});
afterAll(() => harness.close());

type Box = Awaited<ReturnType<typeof hookSandbox>>;
const stop = (sessionId: string, i = 0) => JSON.stringify({ session_id: sessionId, hook_event_name: 'Stop', i });

/** Every non-blank line of every log file in the box, with the identity the server gives it. */
async function logLines(box: Box) {
  const lines: Array<{ requestId: string; text: string }> = [];
  for (const name of (await readdir(box.logDir)).sort()) {
    const path = join(box.logDir, name);
    let offset = 0;
    for (const text of (await readFile(path, 'utf8')).split('\n').slice(0, -1)) {
      if (text.trim() !== '') lines.push({ requestId: hookLogRequestId(hostname(), path, offset), text });
      offset += Buffer.byteLength(text) + 1;
    }
  }
  return lines;
}

const shipped = (requestIds: string[]) =>
  harness.db.sql<{ request_id: string; session_id: string; payload: any }[]>`
    select request_id, session_id, payload from arrakis.events where type = 'hook.log' and request_id = any(${requestIds})`;

/** Waits until the flusher that failed is gone: it leaves its envelope spooled, so `settled` would wait in vain. */
async function flusherGone(box: Box) {
  await expect.poll(() => existsSync(join(box.queueDir, '.drain.lock')), { timeout: 20_000 }).toBe(false);
}

describe('the hook ships its own log', () => {
  it('sends the lines of a failed delivery once the server is back, older days first, each line once', async () => {
    const box = await hookSandbox();
    const sessionId = randomUUID();
    // A log from days ago, longer than one batch, with a line holding the key (the hook never writes one).
    await mkdir(box.logDir, { recursive: true });
    const old = Array.from({ length: 1200 }, (_, n) => JSON.stringify({ time: '2026-01-02T03:04:05.000Z', event: 'Stop', outcome: 'delivered', n }));
    old.push(JSON.stringify({ time: '2026-01-02T03:04:06.000Z', outcome: 'spooled', error: `odd server echoing ${testKeys.ingest}` }));
    await writeFile(join(box.logDir, 'capture-2026-01-02.log'), `${old.join('\n')}\n\n`);

    expect((await runHook([], box.env({ CLAUDE_HOOK_API_URL: down }), stop(sessionId, 1))).code).toBe(0);
    const failedLines = async () => (await logLines(box)).filter((l) => l.text.includes('"outcome":"spooled"') && l.text.includes(sessionId));
    await expect.poll(async () => (await failedLines()).length, { timeout: 20_000 }).toBeGreaterThan(0);
    await flusherGone(box);
    const failed = await failedLines();
    expect(await shipped(failed.map((l) => l.requestId))).toEqual([]);

    expect((await runHook([], box.env({ CLAUDE_HOOK_API_URL: harness.api, CLAUDE_HOOK_API_KEY: testKeys.ingest }), stop(sessionId, 2))).code).toBe(0);
    await settled(box.queueDir);
    const lines = await logLines(box);
    const rows = await shipped(lines.map((l) => l.requestId));
    expect(rows.map((r) => r.request_id).sort()).toEqual(lines.map((l) => l.requestId).sort());
    const spooled = rows.find((r) => r.request_id === failed[0]!.requestId)!;
    expect(spooled.session_id).toBe(sessionId);
    expect(spooled.payload).toMatchObject({ host: hostname(), hookVersion: expect.any(String), line: { outcome: 'spooled', error: expect.stringMatching(/ECONNREFUSED/) } });
    expect(JSON.stringify(rows)).not.toContain(testKeys.ingest);
    expect(JSON.stringify(rows)).toContain('odd server echoing [redacted]');
    await box.cleanup();
  });

  it('resends nothing twice: a lost cursor makes duplicates the server drops', async () => {
    const box = await hookSandbox();
    const live = box.env({ CLAUDE_HOOK_API_URL: harness.api, CLAUDE_HOOK_API_KEY: testKeys.ingest });
    await runHook([], live, stop(randomUUID()));
    await settled(box.queueDir);
    const before = await logLines(box);
    expect(await shipped(before.map((l) => l.requestId))).toHaveLength(before.length);
    await rm(join(box.queueDir, 'state', 'log-cursor.json'));
    await runHook([], live, stop(randomUUID()));
    await settled(box.queueDir);
    const after = await logLines(box);
    expect(after.length).toBeGreaterThan(before.length);
    const rows = await harness.db.sql<{ request_id: string; n: number }[]>`
      select request_id, count(*)::int as n from arrakis.events where request_id = any(${after.map((l) => l.requestId)}) group by request_id`;
    expect(rows).toHaveLength(after.length);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    await box.cleanup();
  });

  it('keeps its place while the server has no log endpoint, and delivers events all the same', async () => {
    const requests: string[] = [];
    // An older Arrakis: it takes events and answers 404 for the log.
    const older = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      req.resume().on('end', () => {
        const ingest = req.url === '/api/claude-hooks';
        res.writeHead(ingest ? 201 : 404, { 'content-type': 'application/json' }).end(ingest ? '{"position":1,"duplicate":false}' : '{"error":"not_found"}');
      });
    });
    await new Promise<void>((resolve) => older.listen(0, '127.0.0.1', resolve));
    const box = await hookSandbox();
    const url = `http://127.0.0.1:${(older.address() as { port: number }).port}/api/claude-hooks`;
    await runHook([], box.env({ CLAUDE_HOOK_API_URL: url, CLAUDE_HOOK_API_KEY: testKeys.ingest }), stop(randomUUID()));
    await settled(box.queueDir);
    expect(requests).toContain('POST /api/claude-hooks');
    expect(requests).toContain('POST /api/hook-logs');
    expect(existsSync(join(box.queueDir, 'state', 'log-cursor.json'))).toBe(false);
    older.close();
    await runHook([], box.env({ CLAUDE_HOOK_API_URL: harness.api, CLAUDE_HOOK_API_KEY: testKeys.ingest }), stop(randomUUID()));
    await settled(box.queueDir);
    const lines = await logLines(box);
    expect(await shipped(lines.map((l) => l.requestId))).toHaveLength(lines.length);
    await box.cleanup();
  });
});
