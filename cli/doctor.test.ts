import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../core/group-commit.js';
import { ensureKeys } from '../core/keys.js';
import { listen, type RunningServer } from '../server/http.js';
import { testApp, testKeys } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { hookEvent } from '../test/support/events.js';
import { doctorCommand } from './doctor.js';
import { hookEntries } from './hook-settings.js';

let db: TestDatabase;
let server: RunningServer;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  server = await listen(testApp(db.sql), { port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'arrakis-doctor-'));
});
afterAll(async () => {
  await server.close();
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

async function doctor(env: NodeJS.ProcessEnv, cwd = dir) {
  const lines: string[] = [];
  const code = await doctorCommand([], { env, cwd, out: (l) => lines.push(...l.split('\n')) });
  return { code, lines, line: (check: string) => lines.find((l) => l.slice(2).startsWith(`${check}:`)) };
}

describe('arrakis doctor', () => {
  it('given everything in place, says so line by line and exits 0', async () => {
    const dataDir = join(dir, 'ok-data');
    await ensureKeys(dataDir, {});
    const project = join(dir, 'project');
    await mkdir(join(project, '.claude'), { recursive: true });
    await writeFile(join(project, '.claude', 'settings.json'), JSON.stringify({ hooks: hookEntries('node "/opt/arrakis/.claude/hooks/capture-conversation.js"') }));
    const config = join(dir, 'claude-ok');
    await mkdir(join(config, 'arrakis', 'queue'), { recursive: true });
    const { code, lines, line } = await doctor({ DATABASE_URL: db.url, ARRAKIS_DATA_DIR: dataDir, ARRAKIS_URL: server.url, CLAUDE_CONFIG_DIR: config }, project);
    expect(line('database')).toMatch(/^✓ database: DATABASE_URL answers \(PostgreSQL/);
    expect(line('migrations')).toMatch(/^✓ migrations: all \d+ applied/);
    expect(line('keys')).toMatch(/^✓ keys:/);
    expect(line('hook installed')).toMatch(/^✓ hook installed: .*project\/\.claude\/settings\.json/);
    expect(line('hook spool')).toMatch(/^✓ hook spool: empty/);
    expect(line('server')).toMatch(/^[✓!] server: /);
    expect(code).toBe(0);
    expect(lines.some((l) => l.startsWith('✗'))).toBe(false);
  });

  it('given a server and a database that do not answer, says so with the fix and exits 1', async () => {
    const { code, line, lines } = await doctor({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', ARRAKIS_DATA_DIR: join(dir, 'none'), ARRAKIS_URL: 'http://127.0.0.1:1/', CLAUDE_CONFIG_DIR: join(dir, 'claude-none') });
    expect(line('database')).toMatch(/^✗ database: DATABASE_URL does not answer/);
    expect(line('server')).toMatch(/^✗ server: no answer from http:\/\/127\.0\.0\.1:1\//);
    expect(lines[lines.findIndex((l) => l.startsWith('✗ server')) + 1]).toMatch(/^ {4}fix: start it/);
    expect(line('keys')).toMatch(/^! keys: no .*keys\.json yet/);
    expect(line('hook installed')).toMatch(/^! hook installed: not in/);
    expect(code).toBe(1);
  });

  it('reports waiting and dead-lettered envelopes, and a host whose clock runs ahead', async () => {
    const config = join(dir, 'claude-spool');
    const queue = join(config, 'arrakis', 'queue');
    await mkdir(join(queue, 'dead'), { recursive: true });
    await writeFile(join(queue, '0192a1b2-0000-7000-8000-000000000001.json'), '{}');
    await writeFile(join(queue, 'dead', '0192a1b2-0000-7000-8000-000000000002.json'), '{}');
    const ahead = new Date(Date.now() + 10 * 60_000).toISOString();
    await createAppender(db.sql).append([hookEvent({ capturedAt: ahead, client: { host: 'fast-clock', attempt: 1 } }), hookEvent({ capturedAt: new Date().toISOString() })]);
    const { line } = await doctor({ DATABASE_URL: db.url, ARRAKIS_DATA_DIR: join(dir, 'none'), ARRAKIS_URL: server.url, CLAUDE_CONFIG_DIR: config });
    expect(line('hook spool')).toMatch(/^! hook spool: 1 waiting, 1 dead letter/);
    expect(line('clock of fast-clock')).toMatch(/^! clock of fast-clock: events arrive -\d+ s after capture/);
    expect(line('clock of devbox')).toMatch(/^✓ clock of devbox/);
  });

  it('refuses arguments', async () => {
    expect(await doctorCommand(['--fix'], { out: () => {} })).toBe(2);
  });
});
