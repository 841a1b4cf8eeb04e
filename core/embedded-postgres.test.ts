import { describe, it, expect, afterAll } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

// A root-created mkdtemp dir is 0700; the module must make it traversable for the postgres user itself.
const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'arrakis-pg-')));
const dataDir = path.join(root, 'pg');
const started: EmbeddedPostgres[] = [];
const logs: string[] = [];

async function start(): Promise<EmbeddedPostgres> {
  const pg = await startEmbeddedPostgres({ dataDir, preferredPort: 0, log: (msg) => logs.push(msg) });
  started.push(pg);
  return pg;
}

async function query<T extends readonly object[]>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

const postmasterPid = () => Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
const postmastersForDataDir = () =>
  execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' }).split('\n').filter((a) => a.includes(`-D ${dataDir} `));

async function waitUntilGone(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`pid ${pid} still alive`);
}

afterAll(async () => {
  for (const pg of started) await pg.stop().catch(() => {});
  // A failed orphan test may leave a postmaster nobody has adopted.
  if (postmastersForDataDir().length) process.kill(postmasterPid(), 'SIGQUIT');
  rmSync(root, { recursive: true, force: true });
});

describe('startEmbeddedPostgres', () => {
  it('initialises a cluster, stores its password privately and keeps data across restarts', async () => {
    const first = await start();
    expect(first.owned).toBe(true);
    expect(first.url).toContain('@127.0.0.1:');
    const state = path.join(root, 'embedded-postgres.json');
    expect(statSync(state).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ port: first.port });
    expect(existsSync(`${dataDir}.pwfile`)).toBe(false);
    await query(first.url, (sql) => sql`select 1 as one`).then((rows) => expect(rows).toEqual([{ one: 1 }]));
    await query(first.url, (sql) => sql`create table kept (v text)`);
    await query(first.url, (sql) => sql`insert into kept values ('first run')`);
    await first.stop();
    await first.stop();
    expect(postmastersForDataDir()).toEqual([]);
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);

    const second = await start();
    expect(second.port).toBe(first.port);
    expect(await query(second.url, (sql) => sql`select v from kept`)).toEqual([{ v: 'first run' }]);
  });

  it('reuses a cluster another live owner runs, without stopping it', async () => {
    const owner = started.at(-1)!;
    const guest = await start();
    expect(guest).toMatchObject({ owned: false, url: owner.url });
    await guest.stop();
    expect(await query(owner.url, (sql) => sql`select v from kept`)).toEqual([{ v: 'first run' }]);
  });

  it('starts over a stale postmaster.pid after postgres was SIGKILLed', async () => {
    const pid = postmasterPid();
    process.kill(pid, 'SIGKILL');
    await waitUntilGone(pid);
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(true);
    const pg = await start();
    expect(pg.owned).toBe(true);
    expect(postmasterPid()).not.toBe(pid);
    expect(await query(pg.url, (sql) => sql`select v from kept`)).toEqual([{ v: 'first run' }]);
    await query(pg.url, (sql) => sql`insert into kept values ('after kill')`);
    await pg.stop();
    expect(postmastersForDataDir()).toEqual([]);
  });

  it('removes a postmaster.pid whose pid now belongs to an unrelated process', async () => {
    writeFileSync(path.join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n0\n1\n\n127.0.0.1\n`);
    const pg = await start();
    expect(pg.owned).toBe(true);
    expect(logs).toContain('removed stale postmaster.pid');
    expect(await query(pg.url, (sql) => sql`select count(*)::int as n from kept`)).toEqual([{ n: 2 }]);
    await pg.stop();
  });

  it('adopts the postgres orphaned by a SIGKILLed Arrakis process and stops it', async () => {
    const script = path.join(root, 'owner.mts');
    const module = fileURLToPath(new URL('./embedded-postgres.ts', import.meta.url));
    writeFileSync(script, `import { startEmbeddedPostgres } from ${JSON.stringify(module)};
await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, preferredPort: 0 });
console.log('ready');\n`);
    const owner = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      owner.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      owner.once('exit', (code) => reject(new Error(`owner exited with ${code}`)));
    });
    owner.kill('SIGKILL');
    await new Promise((r) => owner.once('close', r));
    const orphan = postmasterPid();

    const pg = await start();
    expect(pg.owned).toBe(true);
    expect(postmasterPid()).toBe(orphan);
    expect(logs).toContain('adopted orphaned embedded PostgreSQL');
    expect(await query(pg.url, (sql) => sql`select v from kept order by v`)).toEqual([{ v: 'after kill' }, { v: 'first run' }]);
    await pg.stop();
    await waitUntilGone(orphan);
    expect(postmastersForDataDir()).toEqual([]);
  });
});
