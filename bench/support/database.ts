import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Sql } from '../../core/db.js';
import { startEmbeddedPostgres } from '../../core/embedded-postgres.js';
import { migrate } from '../../core/migrate.js';

export interface BenchDatabase {
  url: string;
  /** Where the figures came from: a given server or the embedded cluster. */
  source: 'DATABASE_URL' | 'TEST_DATABASE_URL' | 'embedded';
  /** Idempotent; drops the database and stops an embedded cluster. */
  close(): Promise<void>;
}

const withDatabase = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

/**
 * A fresh, migrated database: on the server given in the environment if any (so a bench
 * never writes into a database someone uses), else on an embedded cluster in a temp dir.
 */
export async function openBenchDatabase(log: (msg: string) => void): Promise<BenchDatabase> {
  const source = process.env.DATABASE_URL ? 'DATABASE_URL' : process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : 'embedded';
  const undo: Array<() => Promise<void>> = [];
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      for (const step of undo.reverse()) await step().catch((error: Error) => log(`cleanup: ${error.message}`));
    })());
  try {
    let adminUrl: string;
    if (source === 'embedded') {
      const root = await mkdtemp(join(tmpdir(), 'arrakis-bench-pg-'));
      undo.push(() => rm(root, { recursive: true, force: true }));
      log(`starting embedded PostgreSQL in ${root}`);
      const cluster = await startEmbeddedPostgres({ dataDir: join(root, 'pg') });
      undo.push(() => cluster.stop());
      adminUrl = cluster.url;
    } else {
      adminUrl = process.env[source]!;
    }
    const name = `arrakis_bench_${randomBytes(6).toString('hex')}`;
    const admin: Sql = connect(adminUrl, { max: 1, applicationName: 'arrakis-bench' });
    undo.push(() => admin.end({ timeout: 5 }));
    await admin.unsafe(`create database ${name}`);
    undo.push(async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
    });
    const url = withDatabase(adminUrl, name);
    const sql = connect(url, { max: 1 });
    try {
      await migrate(sql);
    } finally {
      await sql.end({ timeout: 5 });
    }
    log(`benchmarking in database ${name} (${source})`);
    return { url, source, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface ServerInfo {
  version: string;
  settings: Record<string, string>;
}

/** The settings that decide what a commit costs, printed so figures from two machines can be compared. */
export async function serverInfo(sql: Sql): Promise<ServerInfo> {
  const names = ['fsync', 'synchronous_commit', 'wal_sync_method', 'commit_delay', 'shared_buffers', 'max_wal_size'];
  const [{ version } = { version: '?' }] = await sql<{ version: string }[]>`select current_setting('server_version') as version`;
  const rows = await sql<{ name: string; setting: string }[]>`
    select name, current_setting(name) as setting from pg_settings where name = any(${names})`;
  return { version, settings: Object.fromEntries(rows.map((r) => [r.name, r.setting])) };
}
