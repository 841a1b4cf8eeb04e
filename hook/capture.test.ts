import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKeys } from '../test/support/app.js';
import { hookSandbox, inParallel, runHook, settled } from '../test/support/hook.js';
import { hookHarness } from '../test/support/hook-harness.js';
import { payloadsFor } from '../test/support/payloads.js';

let harness: Awaited<ReturnType<typeof hookHarness>>;
const down = 'http://127.0.0.1:9/api/claude-hooks';

beforeAll(async () => {
  harness = await hookHarness();
});
afterAll(() => harness.close());

const api = () => harness.api;
const live = (extra: NodeJS.ProcessEnv = {}) => harness.live(extra);
const spooled = async (dir = harness.sandbox.queueDir) => (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.json'));
const stored = (sessionId: string) =>
  harness.db.sql<{ request_id: string; type: string; payload: Record<string, unknown> }[]>`
    select request_id, type, payload from arrakis.events
     where session_id = ${sessionId} and type not like 'transcript.%' and type <> 'hook.log' order by position`;

describe('the capture hook', () => {
  it('stores every event type of the reference unchanged, silently and with exit 0', async () => {
    const sessionId = randomUUID();
    const payloads = Object.entries(payloadsFor(sessionId, `/nonexistent/${sessionId}.jsonl`));
    const runs = await inParallel(payloads.length, 4, (i) => runHook([], live(), JSON.stringify(payloads[i]![1])));
    expect(runs.map((r) => [r.code, r.stdout])).toEqual(payloads.map(() => [0, '']));
    await settled(harness.sandbox.queueDir);
    const rows = await stored(sessionId);
    expect(Object.fromEntries(rows.map((r) => [r.type, r.payload]))).toEqual(Object.fromEntries(payloads));
    expect(await spooled()).toEqual([]);
  });

  it('captures odd input anyway: not JSON, empty, or without session_id', async () => {
    const sessionId = randomUUID();
    const env = live({ CLAUDE_CODE_SESSION_ID: sessionId, CLAUDE_HOOK_EVENT: 'Stop' });
    await runHook([], env, 'not json {');
    await runHook([], env, '');
    await runHook([], env, JSON.stringify({ hook_event_name: 'Notification', message: 'no session id' }));
    await settled(harness.sandbox.queueDir);
    const rows = await stored(sessionId);
    expect(rows.map((r) => r.type).sort()).toEqual(['Notification', 'Stop', 'Stop']);
    expect(rows.map((r) => r.payload)).toContainEqual(expect.objectContaining({ raw: 'not json {', captureError: expect.stringMatching(/not JSON/) }));
    expect(rows.map((r) => r.payload)).toContainEqual(expect.objectContaining({ raw: '', captureError: 'stdin was empty' }));
  });

  it('loses nothing while the server is down: 100 runs spool, one --flush stores exactly 100', async () => {
    const box = await hookSandbox();
    const sessionId = randomUUID();
    const payload = (i: number) => JSON.stringify({ session_id: sessionId, hook_event_name: 'PostToolUse', tool_use_id: `t${i}` });
    const runs = await inParallel(100, 4, (i) => runHook([], box.env({ CLAUDE_HOOK_API_URL: down }), payload(i)));
    expect(runs.every((r) => r.code === 0 && r.stdout === '')).toBe(true);
    expect(await spooled(box.queueDir)).toHaveLength(100);
    const flush = await runHook(['--flush'], box.env({ CLAUDE_HOOK_API_URL: api(), CLAUDE_HOOK_API_KEY: testKeys.ingest }));
    expect(flush.code).toBe(0);
    expect(flush.stdout).toContain('delivered 100');
    expect(await stored(sessionId)).toHaveLength(100);
    expect(await spooled(box.queueDir)).toEqual([]);
    await box.cleanup();
  });

  it('keeps events spooled under a wrong key and delivers them all once the key is right', async () => {
    const box = await hookSandbox();
    const sessionId = randomUUID();
    for (let i = 0; i < 5; i++) {
      const run = await runHook([], box.env({ CLAUDE_HOOK_API_URL: api(), CLAUDE_HOOK_API_KEY: 'wrong-key-wrong-key' }), JSON.stringify({ session_id: sessionId, hook_event_name: 'Stop', i }));
      expect(run.code).toBe(0);
    }
    expect(await spooled(box.queueDir)).toHaveLength(5);
    expect(await readdir(`${box.queueDir}/dead`).catch(() => [])).toEqual([]);
    const status = await runHook(['--status'], box.env());
    expect(status.stdout).toMatch(/spool: 5 envelope/);
    expect(status.stdout).toMatch(/401/);
    await runHook(['--flush'], box.env({ CLAUDE_HOOK_API_URL: api(), CLAUDE_HOOK_API_KEY: testKeys.ingest }));
    expect(await stored(sessionId)).toHaveLength(5);
    await box.cleanup();
  });

  it('runs 20 hooks in parallel on one spool without loss, duplicates or corrupt files', async () => {
    const box = await hookSandbox();
    const sessionId = randomUUID();
    const payload = (i: number) => JSON.stringify({ session_id: sessionId, hook_event_name: 'PreToolUse', n: i });
    await inParallel(10, 10, (i) => runHook([], box.env({ CLAUDE_HOOK_API_URL: down }), payload(i)));
    const runs = await inParallel(20, 20, (i) => runHook([], box.env({ CLAUDE_HOOK_API_URL: api(), CLAUDE_HOOK_API_KEY: testKeys.ingest }), payload(100 + i)));
    expect(runs.every((r) => r.code === 0)).toBe(true);
    await runHook(['--flush'], box.env({ CLAUDE_HOOK_API_URL: api(), CLAUDE_HOOK_API_KEY: testKeys.ingest }));
    await settled(box.queueDir);
    const rows = await stored(sessionId);
    expect(rows.map((r) => r.payload.n).sort((a, b) => Number(a) - Number(b))).toEqual([...Array(10).keys(), ...Array.from({ length: 20 }, (_, i) => 100 + i)]);
    expect(await readdir(box.queueDir)).not.toContainEqual(expect.stringMatching(/\.tmp|\.corrupt/));
    await box.cleanup();
  });

  it('with CLAUDE_HOOK_FAIL_SILENTLY=false, says on stderr (exit 1) that an undelivered event is spooled', async () => {
    const box = await hookSandbox();
    const run = await runHook([], box.env({ CLAUDE_HOOK_API_URL: down, CLAUDE_HOOK_FAIL_SILENTLY: 'false' }), JSON.stringify({ session_id: 's', hook_event_name: 'Stop' }));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/Stop not delivered .*spooled in/);
    expect(await spooled(box.queueDir)).toHaveLength(1);
    await box.cleanup();
  });

  it('logs each run (queued for the flusher) and each delivery as structured lines', async () => {
    const sessionId = randomUUID();
    await runHook([], live(), JSON.stringify({ session_id: sessionId, hook_event_name: 'Stop' }));
    await settled(harness.sandbox.queueDir);
    const [file] = await readdir(harness.sandbox.logDir);
    expect(file).toMatch(/^capture-\d{4}-\d{2}-\d{2}\.log$/);
    const lines = (await readFile(`${harness.sandbox.logDir}/${file}`, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const mine = lines.filter((l) => l.sessionId === sessionId);
    expect(mine).toEqual([
      expect.objectContaining({ event: 'Stop', outcome: 'queued', flusher: expect.stringMatching(/started|running/), spoolDepth: expect.any(Number), durationMs: expect.any(Number) }),
      expect.objectContaining({ event: 'Stop', outcome: 'delivered', status: 201, attempts: 1, requestId: mine[0]!.requestId }),
    ]);
  });

  it('delivers by itself and reports it when CLAUDE_HOOK_FAIL_SILENTLY=false', async () => {
    const sessionId = randomUUID();
    const run = await runHook([], live({ CLAUDE_HOOK_FAIL_SILENTLY: 'false' }), JSON.stringify({ session_id: sessionId, hook_event_name: 'Stop' }));
    expect(run.code).toBe(0);
    expect(await stored(sessionId)).toHaveLength(1);
  });
});
