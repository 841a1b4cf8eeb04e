import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { hookEvent } from '../test/support/events.js';
import { connect } from './db.js';
import { createAppender } from './group-commit.js';
import { ensureLoginRole, grantAppRole } from './roles.js';

let db: TestDatabase;
let position: number;
beforeAll(async () => {
  db = await createTestDatabase();
  const [outcome] = await createAppender(db.sql).append([hookEvent()]);
  position = outcome!.position;
});
afterAll(() => db.drop());

describe('the event log is append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE, even for a superuser', async () => {
    await expect(db.sql`update arrakis.events set type = 'x' where position = ${position}`).rejects.toThrow(/append-only: UPDATE/);
    await expect(db.sql`delete from arrakis.events where position = ${position}`).rejects.toThrow(/append-only: DELETE/);
    await expect(db.sql`truncate arrakis.events`).rejects.toThrow(/append-only: TRUNCATE/);
    const [row] = await db.sql<{ count: number }[]>`select count(*)::int as count from arrakis.events`;
    expect(row!.count).toBe(1);
  });

  it('keeps refusing with replication role set, which silences ordinary triggers', async () => {
    await expect(
      db.sql.begin(async (tx) => {
        await tx`set local session_replication_role = replica`;
        await tx`delete from arrakis.events`;
      }),
    ).rejects.toThrow(/append-only: DELETE/);
  });

  it('lets the app role insert and select but not change events or the triggers', async () => {
    const role = `arrakis_app_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    await ensureLoginRole(db.sql, role, password);
    await grantAppRole(db.sql, role);
    const url = new URL(db.url);
    url.username = role;
    url.password = password;
    const app = connect(url.toString(), { max: 1 });
    try {
      const [outcome] = await createAppender(app).append([hookEvent()]);
      expect(outcome!.status).toBe('stored');
      expect(await app`select position from arrakis.events`).toHaveLength(2);
      await expect(app`update arrakis.events set type = 'x'`).rejects.toThrow(/permission denied/);
      await expect(app`delete from arrakis.events`).rejects.toThrow(/permission denied/);
      await expect(app`truncate arrakis.events`).rejects.toThrow(/permission denied/);
      await expect(app`alter table arrakis.events disable trigger all`).rejects.toThrow(/must be owner/);
    } finally {
      await app.end();
      await db.sql.unsafe(`drop owned by ${role}`);
      await db.sql.unsafe(`drop role ${role}`);
    }
  });
});
