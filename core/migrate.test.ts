import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { connect } from './db.js';
import { ConfigError } from './errors.js';
import { loadMigrations, migrate } from './migrate.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
});
afterAll(() => db.drop());

describe('migrate', () => {
  it('applies each migration exactly once when five processes start together', async () => {
    const migrations = await loadMigrations();
    const clients = Array.from({ length: 5 }, () => connect(db.url, { max: 1 }));
    try {
      const applied = await Promise.all(clients.map((sql) => migrate(sql)));
      expect(applied.flat().sort()).toEqual(migrations.map((m) => m.name).sort());
    } finally {
      await Promise.all(clients.map((sql) => sql.end()));
    }
    const rows = await db.sql`select name from arrakis.schema_migrations order by version`;
    expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
  });

  it('is idempotent', async () => {
    expect(await migrate(db.sql)).toEqual([]);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const [first, ...rest] = await loadMigrations();
    const edited = { ...first!, sql: `${first!.sql}\n-- edited`, checksum: 'different' };
    await expect(migrate(db.sql, [edited, ...rest])).rejects.toThrow(ConfigError);
  });
});
