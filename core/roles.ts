import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sql } from 'postgres';
import { connect } from './db.js';
import { migrate } from './migrate.js';

/**
 * Where Arrakis creates the database itself (the embedded cluster), it splits privileges:
 * the owner role runs migrations, and the server connects as an app role that may only
 * insert and select on the log. Neither is a superuser, so neither can disable the
 * append-only triggers.
 */
export const OWNER_ROLE = 'arrakis_owner';
export const APP_ROLE = 'arrakis_app';
export const DATABASE = 'arrakis';
const BOOTSTRAP_LOCK = 7_411_734_202;

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

export async function ensureLoginRole(admin: Sql, role: string, password: string): Promise<void> {
  const [exists] = await admin`select 1 from pg_roles where rolname = ${role}`;
  const verb = exists ? 'alter' : 'create';
  await admin.unsafe(`${verb} role ${ident(role)} login nosuperuser nocreatedb nocreaterole password ${literal(password)}`);
}

/** Grants `role` what the server needs and nothing more on the log. Idempotent. */
export async function grantAppRole(sql: Sql, role: string = APP_ROLE): Promise<void> {
  await sql.unsafe(`grant usage on schema arrakis to ${ident(role)}`);
  await sql.unsafe(`grant select, insert on arrakis.events to ${ident(role)}`);
  await sql.unsafe(`grant select on arrakis.schema_migrations to ${ident(role)}`);
  // Projection tables and views are created later, by projectors connected as the owner.
  await sql.unsafe(`grant select on all tables in schema arrakis to ${ident(role)}`);
  await sql.unsafe(`alter default privileges in schema arrakis grant select on tables to ${ident(role)}`);
  // Admins ask, through the server, for a parked event to be retried.
  await sql.unsafe(`grant update (retry_requested_at) on arrakis.projection_parked to ${ident(role)}`);
}

interface Passwords {
  owner: string;
  app: string;
}

async function passwords(dataDir: string): Promise<Passwords> {
  const file = join(dataDir, 'database-roles.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Passwords;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const created = { owner: randomBytes(24).toString('base64url'), app: randomBytes(24).toString('base64url') };
    await writeFile(file, JSON.stringify(created), { mode: 0o600 });
    return created;
  }
}

function withCredentials(superUrl: string, role: string, password: string): string {
  const url = new URL(superUrl);
  url.username = role;
  url.password = password;
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

/** Creates roles and database if missing, migrates as the owner, grants the app role. */
export interface Bootstrapped {
  ownerUrl: string;
  appUrl: string;
  applied: string[];
}

export async function bootstrapDatabase(superUrl: string, dataDir: string): Promise<Bootstrapped> {
  const secret = await passwords(dataDir);
  const admin = connect(superUrl, { max: 1, applicationName: 'arrakis-bootstrap' });
  try {
    // Two processes bootstrapping at once would race on CREATE ROLE; max: 1 keeps this session lock on one connection.
    await admin`select pg_advisory_lock(${BOOTSTRAP_LOCK})`;
    await ensureLoginRole(admin, OWNER_ROLE, secret.owner);
    await ensureLoginRole(admin, APP_ROLE, secret.app);
    const [exists] = await admin`select 1 from pg_database where datname = ${DATABASE}`;
    if (!exists) await admin.unsafe(`create database ${ident(DATABASE)} owner ${ident(OWNER_ROLE)}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const ownerUrl = withCredentials(superUrl, OWNER_ROLE, secret.owner);
  const owner = connect(ownerUrl, { max: 1, applicationName: 'arrakis-migrate' });
  try {
    const applied = await migrate(owner);
    await grantAppRole(owner);
    return { ownerUrl, appUrl: withCredentials(superUrl, APP_ROLE, secret.app), applied };
  } finally {
    await owner.end({ timeout: 5 });
  }
}
