import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type RunningCli } from '../test/support/cli.js';
import { envelope } from '../test/support/events.js';

let dataDir: string;
let running: RunningCli | undefined;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'arrakis-start-'));
});
afterAll(async () => {
  await running?.stop('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

const env = () => {
  const { DATABASE_URL: _a, TEST_DATABASE_URL: _b, ...rest } = process.env;
  return { ...rest, ARRAKIS_DATA_DIR: dataDir, PORT: '0' };
};

async function ingest(url: string, key: string, body: unknown) {
  const res = await fetch(new URL('api/claude-hooks', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const postgresFor = (dir: string) => {
  try {
    return execFileSync('pgrep', ['-f', `postgres -D ${dir}`], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

describe('npm start with no DATABASE_URL (embedded Postgres)', () => {
  it('keeps events across a stop and a start, with the same keys, and stops Postgres with it', async () => {
    const event = envelope();
    running = await startCli(['start'], env());
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const keysFile = join(dataDir, 'keys.json');
    expect((await stat(keysFile)).mode & 0o777).toBe(0o600);
    const keys = JSON.parse(await readFile(keysFile, 'utf8'));
    expect(running.stderr()).toContain(keys.ingest);

    expect(postgresFor(dataDir)).not.toBe('');
    const page = await fetch(running.url);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<div id="root">');
    const first = await ingest(running.url, keys.ingest, event);
    expect(first.status).toBe(201);
    // The projector runs inside `start`, connected as the owner role; the server reads its status as the app role.
    const projected = async () => {
      const res = await fetch(new URL('api/projections', running!.url), { headers: { authorization: `Bearer ${keys.read}` } });
      const all = (await res.json()) as Array<{ name: string; position: number; lag: number }>;
      return all.find((p) => p.name === 'conversations');
    };
    await expect.poll(projected, { timeout: 10_000 }).toMatchObject({ position: first.body.position, lag: 0 });
    expect(await running.stop()).toBe(0);
    expect(postgresFor(dataDir)).toBe('');

    running = await startCli(['start'], env());
    expect(JSON.parse(await readFile(keysFile, 'utf8'))).toEqual(keys);
    const again = await ingest(running.url, keys.ingest, event);
    expect(again).toEqual({ status: 200, body: { ...first.body, duplicate: true } });
    expect(await running.stop('SIGINT')).toBe(0);
    expect(postgresFor(dataDir)).toBe('');
  });
});
