import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../server/http.js';
import { testApp, testKeys } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { hookSandbox, runHook, settled, spawnHook } from '../test/support/hook.js';

let db: TestDatabase;
let server: RunningServer;
let tiny: RunningServer;
let blackHole: Server;
let blackHoleUrl: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  db = await createTestDatabase();
  server = await listen(testApp(db.sql), { port: 0 });
  tiny = await listen(testApp(db.sql, { bodyLimitBytes: 2048 }), { port: 0 });
  // Accepts connections and never answers: every send hangs until the hook is killed.
  blackHole = createServer((socket) => sockets.add(socket.on('error', () => {})));
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  blackHoleUrl = `http://127.0.0.1:${(blackHole.address() as { port: number }).port}/api/claude-hooks`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  blackHole.close();
  await tiny.close();
  await server.close();
  await db.drop();
});

const liveEnv = (box: Awaited<ReturnType<typeof hookSandbox>>) =>
  box.env({ CLAUDE_HOOK_API_URL: `${server.url}api/claude-hooks`, CLAUDE_HOOK_API_KEY: testKeys.ingest });

async function waitForSpoolFile(dir: string, known: Set<string>): Promise<string | undefined> {
  for (let i = 0; i < 400; i++) {
    const fresh = (await readdir(dir).catch(() => [])).find((f) => f.endsWith('.json') && !known.has(f));
    if (fresh) return fresh;
    await sleep(2);
  }
  return undefined;
}

describe('hook faults', () => {
  it('stores every event exactly once after hooks are SIGKILLed mid-send, many times', async () => {
    const box = await hookSandbox();
    const sessionId = randomUUID();
    const known = new Set<string>();
    for (let i = 0; i < 24; i++) {
      // Half hang on a server that never answers; half are killed while the real server may be answering.
      // FAIL_SILENTLY=false makes the run send by itself, so the kill lands mid-send.
      const url = i % 2 ? blackHoleUrl : `${server.url}api/claude-hooks`;
      const env = box.env({ CLAUDE_HOOK_API_URL: url, CLAUDE_HOOK_API_KEY: testKeys.ingest, CLAUDE_HOOK_FAIL_SILENTLY: 'false', CLAUDE_HOOK_TIMEOUT: '300' });
      const { child, done } = spawnHook([], env, JSON.stringify({ session_id: sessionId, hook_event_name: 'PostToolUse', i }));
      const file = await waitForSpoolFile(box.queueDir, known);
      child.kill('SIGKILL');
      const run = await done;
      if (file) known.add(file);
      else expect(run.code).toBe(0); // finished (delivered and unspooled) before we saw its file
    }
    // Background flushers killed mid-drain, some while sending to the server that never answers.
    for (let i = 0; i < 6; i++) {
      const url = i % 2 ? blackHoleUrl : `${server.url}api/claude-hooks`;
      const { child, done } = spawnHook(['--drain'], box.env({ CLAUDE_HOOK_API_URL: url, CLAUDE_HOOK_API_KEY: testKeys.ingest, CLAUDE_HOOK_TIMEOUT: '300' }));
      await sleep(20 + i * 15);
      child.kill('SIGKILL');
      await done;
    }
    const flush = await runHook(['--flush'], liveEnv(box));
    expect(flush.code).toBe(0);
    const rows = await db.sql<{ request_id: string; count: number }[]>`
      select request_id, count(*)::int as count from arrakis.events where session_id = ${sessionId} and type <> 'hook.log' group by request_id`;
    expect(rows).toHaveLength(24);
    expect(rows.every((r) => r.count === 1)).toBe(true);
    for (const file of known) expect(rows.map((r) => `${r.request_id}.json`)).toContain(file);
    await box.cleanup();
  });

  it('dead-letters an envelope the server refuses for good (413), with the reason, shown by --status', async () => {
    const box = await hookSandbox();
    const env = box.env({ CLAUDE_HOOK_API_URL: `${tiny.url}api/claude-hooks`, CLAUDE_HOOK_API_KEY: testKeys.ingest });
    const run = await runHook([], env, JSON.stringify({ session_id: 's', hook_event_name: 'PostToolUse', tool_response: 'y'.repeat(4096) }));
    expect(run.code).toBe(0);
    await settled(box.queueDir);
    expect(await readdir(box.queueDir).then((f) => f.filter((n) => n.endsWith('.json')))).toEqual([]);
    expect(await readdir(`${box.queueDir}/dead`)).toHaveLength(1);
    const status = await runHook(['--status'], env);
    expect(status.stdout).toMatch(/dead letters: 1/);
    expect(status.stdout).toMatch(/PostToolUse .*413/);
    await box.cleanup();
  });

  it('--health says whether the server is reachable and takes the key', async () => {
    const box = await hookSandbox();
    const good = await runHook(['--health'], liveEnv(box));
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/reachable: yes/);
    expect(good.stdout).toMatch(/key: accepted/);
    const readKey = await runHook(['--health'], box.env({ CLAUDE_HOOK_API_URL: `${server.url}api/claude-hooks`, CLAUDE_HOOK_API_KEY: testKeys.read }));
    expect(readKey.code).toBe(1);
    expect(readKey.stdout).toMatch(/key: NOT accepted \(403/);
    const nowhere = await runHook(['--health'], box.env({ CLAUDE_HOOK_API_URL: 'http://127.0.0.1:9/api/claude-hooks', CLAUDE_HOOK_API_KEY: 'x' }));
    expect(nowhere.code).toBe(1);
    expect(nowhere.stdout).toMatch(/reachable: no/);
    await box.cleanup();
  });
});
