import type { Sql, TransactionSql } from 'postgres';
import type { DocProjection } from '../projection.js';

/** Physical and logical names of a projection's document tables. */
export const tableOf = (name: string, generation: number) => `arrakis.proj_${name}_g${generation}`;
export const viewOf = (name: string) => `arrakis.proj_${name}`;

/**
 * How a document write meets the stored one: it replaces it, but the last position only
 * grows, so a parked event applied late cannot move it back.
 */
export const updateOnConflict = (sql: Sql, table: string) => sql`
  on conflict (key) do update set session_id = excluded.session_id, at = excluded.at, seq = excluded.seq,
    doc = excluded.doc, last_position = greatest(${sql(table)}.last_position, excluded.last_position)`;

const validName = /^[a-z][a-z0-9_]{0,40}$/;

export function assertName(name: string): void {
  if (!validName.test(name)) throw new Error(`projection name ${name} must match ${validName}`);
}

/**
 * Creates a generation's table (idempotent). A rebuild's table starts with only its primary
 * key: maintaining secondary indexes row by row costs more than building them once, which
 * `indexTable` does before the generation swaps in.
 */
export async function createTable(tx: Sql | TransactionSql, projection: DocProjection<object>, generation: number, { deferIndexes = false } = {}): Promise<void> {
  assertName(projection.name);
  const table = tableOf(projection.name, generation);
  await (tx as Sql).unsafe(`create table if not exists ${table} (
    key text primary key,
    session_id text,
    at timestamptz,
    seq bigint,
    doc jsonb not null,
    first_position bigint not null,
    last_position bigint not null)`);
  await compressWithLz4(tx, table);
  if (!deferIndexes) await indexTable(tx, projection, generation);
}

/** lz4 compresses documents with tool output several times faster than pglz; older builds keep pglz. */
async function compressWithLz4(tx: Sql | TransactionSql, table: string): Promise<void> {
  const [row] = await (tx as Sql)<{ lz4: boolean }[]>`select exists (select 1 from pg_settings where name = 'default_toast_compression' and 'lz4' = any(enumvals)) as lz4`;
  if (row?.lz4) await (tx as Sql).unsafe(`alter table ${table} alter column doc set compression lz4`);
}

/**
 * A generation's secondary indexes, then its ddl (side tables, rollups and their first fill),
 * once: all in the caller's transaction, so the first index existing says the rest was done
 * too. A rebuild builds them ahead of its swap (index-ahead.ts), and the swap, under the
 * registry lock, then only looks.
 */
export async function indexTable(tx: Sql | TransactionSql, projection: DocProjection<object>, generation: number): Promise<void> {
  const q = tx as Sql;
  const table = tableOf(projection.name, generation);
  const first = `proj_${projection.name}_g${generation}_session`;
  const [done] = await q<{ indexed: boolean }[]>`select to_regclass(${`arrakis.${first}`}) is not null as indexed`;
  if (done?.indexed) return;
  await q.unsafe(`create index if not exists ${first} on ${table} (session_id, at, seq)`);
  await q.unsafe(`create index if not exists proj_${projection.name}_g${generation}_at on ${table} (at desc, key)`);
  for (const statement of projection.ddl?.(table) ?? []) await q.unsafe(statement);
}

/**
 * A generation's side tables and functions (a projection's rollups, say) are named
 * `<table>__<suffix>`: they go with it, and while it serves `arrakis.proj_<name>__<suffix>`
 * shows each side table.
 */
async function sideTables(q: Sql, name: string, generation: number): Promise<string[]> {
  const prefix = `proj_${name}_g${generation}__`;
  const rows = await q<{ relname: string }[]>`
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'arrakis' and c.relkind = 'r' and starts_with(c.relname, ${prefix})`;
  return rows.map((row) => row.relname.slice(prefix.length));
}

/**
 * Points the projection's view, and its side tables' views, at a generation: how a rebuild
 * swaps in. A side table the generation lacks loses its view: left over, it would show an
 * older generation's rows, and hold that table, so retiring the generation would fail.
 */
export async function pointView(tx: Sql | TransactionSql, name: string, generation: number): Promise<void> {
  assertName(name);
  const q = tx as Sql;
  await q.unsafe(`create or replace view ${viewOf(name)} as select * from ${tableOf(name, generation)}`);
  const suffixes = await sideTables(q, name, generation);
  for (const suffix of await sideViews(q, name)) if (!suffixes.includes(suffix)) await q.unsafe(`drop view if exists ${viewOf(name)}__${suffix}`);
  for (const suffix of suffixes) {
    // Dropped first: a new version's side table may have other columns than the one viewed.
    await q.unsafe(`drop view if exists ${viewOf(name)}__${suffix}`);
    await q.unsafe(`create view ${viewOf(name)}__${suffix} as select * from ${tableOf(name, generation)}__${suffix}`);
  }
}

async function sideViews(q: Sql, name: string): Promise<string[]> {
  const prefix = `proj_${name}__`;
  const rows = await q<{ relname: string }[]>`
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'arrakis' and c.relkind = 'v' and starts_with(c.relname, ${prefix})`;
  return rows.map((row) => row.relname.slice(prefix.length));
}

export async function dropTable(tx: Sql | TransactionSql, name: string, generation: number): Promise<void> {
  assertName(name);
  const q = tx as Sql;
  const table = tableOf(name, generation);
  for (const suffix of await sideTables(q, name, generation)) await q.unsafe(`drop table if exists ${table}__${suffix}`);
  await q.unsafe(`drop table if exists ${table}`);
  // Side functions take no arguments (trigger functions).
  const functions = await q<{ proname: string }[]>`
    select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'arrakis' and starts_with(p.proname, ${`proj_${name}_g${generation}__`})`;
  for (const { proname } of functions) await q.unsafe(`drop function if exists arrakis.${proname}()`);
}
