import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type Sql } from '../../core/db.js';
import { migrate } from '../../core/migrate.js';
import { ensureLoginRole, grantAppRole } from '../../core/roles.js';
import { post, testApp } from '../support/app.js';
import { databaseUrl } from '../support/database.js';
import { envelope } from '../support/events.js';

/**
 * The split `bootstrapDatabase` makes, on a database of this file's own: an owner role (no
 * superuser) that runs the migrations, and an app role the server connects as. What
 * core/immutability.test.ts covers (UPDATE, DELETE, TRUNCATE as the app role and as a
 * superuser) is not repeated here.
 */
const suffix = randomBytes(4).toString('hex');
const ownerRole = `arrakis_owner_${suffix}`;
const appRole = `arrakis_app_${suffix}`;
const database = `arrakis_roles_${suffix}`;
const passwords = { owner: randomBytes(12).toString('hex'), app: randomBytes(12).toString('hex') };

let admin: Sql;
let owner: Sql;
let app: Sql;
let position: number;

const as = (role: string, password: string) => {
  const url = new URL(databaseUrl(inject('pgAdminUrl'), database));
  url.username = role;
  url.password = password;
  return connect(url.toString(), { max: 2 });
};

beforeAll(async () => {
  admin = connect(inject('pgAdminUrl'), { max: 1 });
  await ensureLoginRole(admin, ownerRole, passwords.owner);
  await ensureLoginRole(admin, appRole, passwords.app);
  await admin.unsafe(`create database ${database} owner ${ownerRole}`);
  owner = as(ownerRole, passwords.owner);
  await migrate(owner);
  await grantAppRole(owner, appRole);
  app = as(appRole, passwords.app);
  const res = await testApp(app).request('/api/claude-hooks', post(JSON.stringify(envelope({ requestId: 'roles-event-0001', event: 'UserPromptSubmit' }))));
  expect(res.status).toBe(201);
  ({ position } = (await res.json()) as { position: number });
});
afterAll(async () => {
  await app?.end();
  await owner?.end();
  await admin.unsafe(`drop database if exists ${database} with (force)`);
  await admin.unsafe(`drop role if exists ${appRole}`);
  await admin.unsafe(`drop role if exists ${ownerRole}`);
  await admin.end();
});

const unchanged = async () => {
  const rows = await owner<{ position: number; type: string }[]>`select position, type from arrakis.events`;
  expect(rows.map((r) => ({ ...r }))).toEqual([{ position, type: 'UserPromptSubmit' }]);
};

describe('the event log, as the roles the server and the projectors connect with', () => {
  it('lets the server, as the app role, append through the routes, but not rewrite the log by other statements', async () => {
    const refusals: Array<[string, RegExp]> = [
      [`insert into arrakis.events (request_id, content_hash, type, session_id, captured_at, received_at, payload)
        values ('roles-event-0001', '\\x00', 'forged', 's', now(), now(), '{}')
        on conflict (request_id) do update set type = excluded.type`, /permission denied/],
      ['drop trigger events_no_update_or_delete on arrakis.events', /must be owner/],
      ['drop table arrakis.events', /must be owner/],
      [`alter table arrakis.events owner to ${appRole}`, /must be owner/],
      ['alter table arrakis.events enable replica trigger events_no_update_or_delete', /must be owner/],
      ['create rule no_reads as on select to arrakis.events do instead nothing', /must be owner/],
      ['set session_replication_role = replica', /permission denied/],
      ['create or replace function arrakis.reject_event_mutation() returns trigger language plpgsql as $$ begin return new; end $$', /must be owner|permission denied/],
    ];
    for (const [statement, refusal] of refusals) await expect(app.unsafe(statement), statement).rejects.toThrow(refusal);
    // GRANT without the grant option only warns: what counts is that nothing was granted.
    await app.unsafe(`grant update, delete, truncate on arrakis.events to ${appRole}`);
    const [privileges] = await app<{ update: boolean; delete: boolean; truncate: boolean }[]>`
      select has_table_privilege('arrakis.events', 'UPDATE') as update,
             has_table_privilege('arrakis.events', 'DELETE') as delete,
             has_table_privilege('arrakis.events', 'TRUNCATE') as truncate`;
    expect({ ...privileges }).toEqual({ update: false, delete: false, truncate: false });
    await unchanged();
  });

  it('refuses the owner role, which ran the migrations, UPDATE, DELETE, TRUNCATE, an upsert and MERGE: the triggers fire for it too', async () => {
    const refusals: Array<[string, RegExp]> = [
      [`update arrakis.events set type = 'forged' where position = ${position}`, /append-only: UPDATE/],
      [`delete from arrakis.events where position = ${position}`, /append-only: DELETE/],
      ['truncate arrakis.events', /append-only: TRUNCATE/],
      [`insert into arrakis.events (request_id, content_hash, type, session_id, captured_at, received_at, payload)
        values ('roles-event-0001', '\\x00', 'forged', 's', now(), now(), '{}')
        on conflict (request_id) do update set type = excluded.type`, /append-only: UPDATE/],
      [`merge into arrakis.events e using (select ${position} as position) s on e.position = s.position when matched then delete`, /append-only: DELETE/],
      [`merge into arrakis.events e using (select ${position} as position) s on e.position = s.position when matched then update set type = 'forged'`, /append-only: UPDATE/],
    ];
    for (const [statement, refusal] of refusals) await expect(owner.unsafe(statement), statement).rejects.toThrow(refusal);
    const [role] = await owner<{ rolsuper: boolean }[]>`select rolsuper from pg_roles where rolname = current_user`;
    expect(role!.rolsuper).toBe(false);
    await unchanged();
  });
});
