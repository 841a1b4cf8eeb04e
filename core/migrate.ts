import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sql } from 'postgres';
import { ConfigError } from './errors.js';
import { migrationsDir } from './paths.js';

/**
 * Plain SQL files `NNN_name.sql`, applied in order inside one transaction that holds an
 * advisory lock, so two processes starting at once apply each file exactly once and a
 * failing file leaves nothing half-applied.
 */
const MIGRATION_LOCK = 7_411_734_201; // arbitrary, fixed: Arrakis' migration lock id

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export async function loadMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_[\w-]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(join(dir, file), 'utf8');
      return {
        version: Number.parseInt(file, 10),
        name: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    }),
  );
}

export async function migrate(sql: Sql, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await loadMigrations());
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`create schema if not exists arrakis`;
    await tx`create table if not exists arrakis.schema_migrations (
      version int primary key, name text not null, checksum text not null,
      applied_at timestamptz not null default now())`;
    const done = new Map<number, string>();
    for (const row of await tx<{ version: number; checksum: string }[]>`select version, checksum from arrakis.schema_migrations`) {
      done.set(row.version, row.checksum);
    }
    const applied: string[] = [];
    for (const migration of all) {
      const checksum = done.get(migration.version);
      if (checksum === undefined) {
        await tx.unsafe(migration.sql);
        await tx`insert into arrakis.schema_migrations (version, name, checksum)
          values (${migration.version}, ${migration.name}, ${migration.checksum})`;
        applied.push(migration.name);
      } else if (checksum !== migration.checksum) {
        throw new ConfigError(`migration ${migration.name} was changed after it was applied; add a new migration instead`);
      }
    }
    return applied;
  });
}
