import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHook, settled } from '../test/support/hook.js';
import { hookHarness } from '../test/support/hook-harness.js';

let harness: Awaited<ReturnType<typeof hookHarness>>;
beforeAll(async () => {
  harness = await hookHarness();
});
afterAll(() => harness.close());

const env = () => harness.live();
const line = (sessionId: string, n: number, text = `message ${n}`) =>
  JSON.stringify({ type: n % 2 ? 'assistant' : 'user', sessionId, uuid: `u${n}`, message: { content: text } });
const shippedLines = (sessionId: string) =>
  harness.db.sql<{ offset: number; n: string }[]>`
    select (payload->>'offset')::int as offset, payload->'line'->>'uuid' as n from arrakis.events
    where session_id = ${sessionId} and type like 'transcript.%' order by (payload->>'offset')::int`;

describe('transcript shipping', () => {
  it('ships complete lines appended in pieces, a partial last line only once it is complete, each line once', async () => {
    const sessionId = randomUUID();
    const dir = join(harness.sandbox.dir, 'projects', '-home-dev-app');
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${sessionId}.jsonl`);
    const hook = async (event: string) => {
      await runHook([], env(), JSON.stringify({ session_id: sessionId, hook_event_name: event, transcript_path: path }));
      await settled(harness.sandbox.queueDir);
    };
    const third = line(sessionId, 3, 'ünïcödé split across writes');

    await writeFile(path, `${line(sessionId, 1)}\n${line(sessionId, 2)}\n${third.slice(0, 20)}`);
    await hook('UserPromptSubmit');
    expect((await shippedLines(sessionId)).map((r) => r.n)).toEqual(['u1', 'u2']);

    await appendFile(path, `${third.slice(20)}\n\n${line(sessionId, 4)}\n`);
    await hook('PreToolUse');
    await hook('Stop');
    await hook('Stop');
    const rows = await shippedLines(sessionId);
    expect(rows.map((r) => r.n)).toEqual(['u1', 'u2', 'u3', 'u4']);
    const expectedThird = Buffer.byteLength(`${line(sessionId, 1)}\n${line(sessionId, 2)}\n`);
    expect(rows[2]!.offset).toBe(expectedThird);
  });

  it('ships a large transcript in bounded chunks over several runs, losing no line', async () => {
    const sessionId = randomUUID();
    const path = join(harness.sandbox.dir, `${sessionId}.jsonl`);
    const padding = 'x'.repeat(60 * 1024);
    const lines = Array.from({ length: 150 }, (_, i) => line(sessionId, i, `${i} ${padding}`));
    await writeFile(path, `${lines.join('\n')}\n`);
    let runs = 0;
    while ((await shippedLines(sessionId)).length < lines.length && runs < 10) {
      await runHook([], env(), JSON.stringify({ session_id: sessionId, hook_event_name: 'Stop', transcript_path: path }));
      await settled(harness.sandbox.queueDir);
      runs++;
    }
    const rows = await shippedLines(sessionId);
    expect(rows.map((r) => r.n)).toEqual(lines.map((_, i) => `u${i}`));
    expect(runs).toBeGreaterThan(1);
  });
});
