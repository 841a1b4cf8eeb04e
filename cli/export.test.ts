import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type Sql } from '../core/db.js';
import { createAppender } from '../core/group-commit.js';
import { hookLogEvents } from '../core/hook-log-line.js';
import { restoreLog } from '../core/import/log-restore.js';
import { importTranscripts } from '../core/import/transcript-import.js';
import { migrate } from '../core/migrate.js';
import { ensureLoginRole, grantAppRole } from '../core/roles.js';
import { startProjector } from '../projections/engine/projector.js';
import { allProjections } from '../projections/index.js';
import { post, testApp } from '../test/support/app.js';
import { createTestDatabase, databaseUrl, type TestDatabase } from '../test/support/database.js';
import { envelope } from '../test/support/events.js';
import { turnEvents } from '../test/support/sessions.js';
import { oldSession, recentSession, shippedLines, writeTranscripts } from '../test/support/transcripts.js';
import { exportCommand } from './export.js';
import { importLogCommand } from './import-log.js';

let source: TestDatabase;
let dir: string;
beforeAll(async () => {
  source = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'arrakis-export-'));
  await fill(source.sql);
});
afterAll(async () => {
  await source.drop();
  await rm(dir, { recursive: true, force: true });
});

/** Hook events with shipped lines (one sent twice: a gap in positions), whole turns, hook log lines, imported transcripts, and values jsonb alone cannot keep exactly. */
async function fill(sql: Sql) {
  const app = testApp(sql);
  const shipped = recentSession(randomUUID(), '-home-dev-shipped');
  const sessionId = shipped[0]!.path.split('/')[1]!.replace('.jsonl', '');
  const body = JSON.stringify(envelope({ sessionId, event: 'Stop', transcript: [{ path: `/home/dev/.claude/projects/${shipped[0]!.path}`, offset: 0, lines: shippedLines(shipped[0]!) }] }));
  for (let i = 0; i < 2; i++) expect((await app.request('/api/claude-hooks', post(body))).status).toBe(201 - i);
  // NUL and a lone surrogate: stored with payload_json, the exact text.
  const odd = `{"requestId":"odd-0001","event":"Notification","sessionId":"${sessionId}","capturedAt":"2026-03-01T10:00:20.123456Z","payload":{"message":"nul \\u0000 and \\ud800"}}`;
  expect((await app.request('/api/claude-hooks', post(odd))).status).toBe(201);
  await createAppender(sql).append([0, 1, 2].flatMap((turn) => turnEvents(randomUUID(), turn, new Date(Date.UTC(2026, 2, 2, 9, turn)))));
  const logLines = [{ offset: 0, line: JSON.stringify({ time: '2026-03-01T10:00:21.000Z', event: 'Stop', sessionId, outcome: 'delivered' }) }, { offset: 90, line: 'not json' }];
  await createAppender(sql).append(hookLogEvents({ host: 'devbox', file: '/home/dev/.claude/hooks/log.jsonl', lines: logLines }, new Date()));
  const root = join(dir, 'projects');
  await writeTranscripts(root, [...recentSession(randomUUID()), oldSession(randomUUID())]);
  expect((await importTranscripts(sql, [root])).failed).toBe(0);
  // Digits a JavaScript number cannot hold, written as a client of the database could.
  await sql`insert into arrakis.events (request_id, content_hash, type, session_id, captured_at, received_at, payload)
    values ('big-numbers-1', '\\x00ff'::bytea, 'Notification', ${sessionId}, '2026-03-01T10:00:30.000001Z', '2026-03-01T10:00:31.999999Z',
            '{"n": 123456789012345678901234567890, "x": 0.1000000000000000000001}')`;
}

interface Io {
  code: number;
  err: string;
}

async function exportTo(db: TestDatabase, args: string[], stdout = new PassThrough()): Promise<Io> {
  let err = '';
  const code = await exportCommand(args, { env: { DATABASE_URL: db.url }, err: (t) => (err += t), tty: false, stdout });
  return { code, err };
}

async function importLog(db: TestDatabase, file: string): Promise<Io> {
  let err = '';
  const code = await importLogCommand([file], { env: { DATABASE_URL: db.url }, err: (t) => (err += t), tty: false });
  return { code, err };
}

const columns = (sql: Sql) => sql<Record<string, unknown>[]>`
  select position, request_id, encode(content_hash, 'hex') as content_hash, type, session_id, captured_at::text, received_at::text,
         client::text, payload::text, payload_json
    from arrakis.events order by transaction_id, position`;

async function project(sql: Sql) {
  const projector = await startProjector(sql, { projections: allProjections });
  await projector.settled();
  await projector.stop();
}

/**
 * Documents hold log positions in a few places: the `first_position` and `last_position`
 * columns, `seq` when a projection indexes one (messages, stats responses), and inside
 * documents `position`, `firstPosition`, `sources` and the `@<position>` of a message key.
 * Positions are assigned anew on import, in the same order, so the restored projections must
 * equal the originals once each old position is replaced by the new one of the same event
 * (matched by requestId). A field holding a number that is not a position makes the mapping
 * throw, so a projection adding a position field of another name fails here, not silently.
 */
const positionFields = new Set(['position', 'firstPosition', 'sources']);
// Objects whose every value is a position (completeness: where each source of a tool use was seen).
const positionMaps = new Set(['seen']);

function remap(value: unknown, to: (position: number) => number, field?: string): unknown {
  if (typeof value === 'number' && field !== undefined && positionFields.has(field)) return to(value);
  if (Array.isArray(value)) return value.map((item) => remap(item, to, field));
  if (value !== null && typeof value === 'object') {
    const map = field !== undefined && positionMaps.has(field);
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, map && typeof item === 'number' ? to(item) : remap(item, to, key)]));
  }
  return value;
}

const remapKey = (key: string, to: (position: number) => number) => key.replace(/@(\d+)$/, (_, n: string) => `@${to(Number(n))}`);

interface DocRow {
  key: string;
  session_id: string | null;
  at: Date | null;
  seq: number | null;
  doc: object;
  first_position: number;
  last_position: number;
}

async function documents(sql: Sql, name: string): Promise<DocRow[]> {
  return sql<DocRow[]>`select key, session_id, at, seq, doc, first_position, last_position from ${sql(`arrakis.proj_${name}`)} order by key`;
}

describe('arrakis export and import-log', () => {
  let file: string;
  let target: TestDatabase;
  beforeAll(async () => {
    target = await createTestDatabase();
    file = join(dir, 'log.jsonl.gz');
  });
  afterAll(() => target.drop());

  it('restores every event exactly, but its position, into an empty database', async () => {
    const exported = await exportTo(source, ['--out', file]);
    expect(exported.code).toBe(0);
    const events = (await columns(source.sql)).length;
    expect(exported.err).toMatch(new RegExp(`exported ${events} events \\(.*MB, .*MB compressed\\) to ${file}`));
    const [header, ...records] = gunzipSync(await readFile(file)).toString('utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(header).toMatchObject({ format: 'arrakis-log', version: 1, before: null });
    expect(records).toHaveLength(events);

    const restored = await importLog(target, file);
    expect(restored.code).toBe(0);
    expect(restored.err).toMatch(new RegExp(`imported ${events} events from an export of .*: ${events} stored, 0 duplicates`));
    const [before, after] = [await columns(source.sql), await columns(target.sql)];
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ position: _, ...row }) => row);
    expect(strip(after)).toEqual(strip(before));
    // The duplicate POST left a gap in the original positions: the new ones differ.
    expect(after.map((row) => row.position)).not.toEqual(before.map((row) => row.position));
    expect(after.find((row) => row.request_id === 'big-numbers-1')!.payload).toBe('{"n": 123456789012345678901234567890, "x": 0.1000000000000000000001}');
  });

  it('gives identical projections, once positions are mapped to the new ones', async () => {
    await project(source.sql);
    await project(target.sql);
    const newPosition = new Map<number, number>();
    const [old, restored] = [await columns(source.sql), await columns(target.sql)];
    const byRequest = new Map(restored.map((row) => [row.request_id, row.position as number]));
    for (const row of old) newPosition.set(row.position as number, byRequest.get(row.request_id)!);
    const to = (position: number) => {
      const mapped = newPosition.get(position);
      if (mapped === undefined) throw new Error(`${position} is not a position of the log`);
      return mapped;
    };
    for (const projection of allProjections) {
      const original = await documents(source.sql, projection.name);
      // This log has no Claude Code 1.0.x lines, which are all these two hold.
      if (!['sidechains', 'summaries'].includes(projection.name)) expect(original.length, projection.name).toBeGreaterThan(0);
      const expected = original
        .map((row) => {
          const key = remapKey(row.key, to);
          const doc = remap(row.doc, to) as object;
          return { ...row, key, doc, seq: projection.index?.(doc, key).seq ?? null, first_position: to(row.first_position), last_position: to(row.last_position) };
        })
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      expect(await documents(target.sql, projection.name), projection.name).toEqual(expected);
    }
  });

  it('adds nothing when the same export is imported again', async () => {
    const count = (await columns(target.sql)).length;
    const again = await importLog(target, file);
    expect(again.code).toBe(0);
    expect(again.err).toMatch(new RegExp(`imported ${count} events .*: 0 stored, ${count} duplicates`));
    expect(await columns(target.sql)).toHaveLength(count);
  });

  it('splits the log by capture time with --before and --since, to stdout without --out', async () => {
    const exported = async (args: string[]) => {
      const stdout = new PassThrough();
      const chunks: Buffer[] = [];
      stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      expect((await exportTo(source, args, stdout)).code).toBe(0);
      const [header, ...records] = gunzipSync(Buffer.concat(chunks)).toString('utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
      return { header, requestIds: records.map((r: { requestId: string }) => r.requestId) };
    };
    const older = await exported(['--before', '2026-03-01T10:00:05Z']);
    const newer = await exported(['--since', '2026-03-01T10:00:05Z']);
    expect(older.header).toMatchObject({ before: '2026-03-01T10:00:05.000Z', since: null });
    expect(newer.header).toMatchObject({ before: null, since: '2026-03-01T10:00:05.000Z' });
    const split = await source.sql<{ request_id: string; older: boolean }[]>`
      select request_id, captured_at < '2026-03-01T10:00:05Z' as older from arrakis.events order by transaction_id, position`;
    expect(older.requestIds).toEqual(split.filter((row) => row.older).map((row) => row.request_id));
    expect(newer.requestIds).toEqual(split.filter((row) => !row.older).map((row) => row.request_id));
    expect(older.requestIds.length * newer.requestIds.length).toBeGreaterThan(0);
  });

  it('stores the good records of a file with a bad one, and says which failed', async () => {
    const fresh = await createTestDatabase();
    try {
      const [header, first, second] = gunzipSync(await readFile(file)).toString('utf8').split('\n');
      const broken = { ...JSON.parse(second!), payload: '{"not json' };
      const damaged = join(dir, 'damaged.jsonl.gz');
      await writeFile(damaged, gzipSync([header, first, JSON.stringify(broken), ''].join('\n')));
      const { code, err } = await importLog(fresh, damaged);
      expect(code).toBe(1);
      expect(err).toMatch(new RegExp(`event ${broken.requestId} could not be stored: invalid input syntax for type json`));
      expect(err).toMatch(/imported 2 events .*: 1 stored, 0 duplicates, 1 failed/);
    } finally {
      await fresh.drop();
    }
  });

  it('refuses what it cannot do with a one-line reason', async () => {
    expect(await exportTo(source, ['--out', file])).toEqual({ code: 1, err: `arrakis export: ${file} already exists; choose another name\n` });
    expect((await exportTo(source, ['--before', 'soon'])).code).toBe(2);
    expect((await exportTo(source, ['--since', '2026-13-45'])).err).toMatch(/--since must be a date or time/);
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    expect((await exportTo(source, [], tty)).err).toMatch(/not writing compressed data to a terminal/);
    expect(await importLog(target, join(dir, 'missing.gz'))).toEqual({ code: 1, err: `arrakis import-log: no such file: ${join(dir, 'missing.gz')}\n` });
    const notAnExport = join(dir, 'notes.txt');
    await writeFile(notAnExport, 'hello\n');
    expect(await importLog(target, notAnExport)).toMatchObject({ code: 1, err: expect.stringMatching(/notes\.txt: line 1 is not JSON/) });
    const truncated = join(dir, 'truncated.jsonl');
    await writeFile(truncated, gunzipSync(await readFile(file)).subarray(0, 300));
    expect(await importLog(target, truncated)).toMatchObject({ code: 1, err: expect.stringMatching(/line 2 is cut short: the file is truncated/) });
    // A cut gzip stream fails as such (the CLI prints it as its one-line reason), after the records before the cut.
    const cutGzip = join(dir, 'cut.jsonl.gz');
    await writeFile(cutGzip, (await readFile(file)).subarray(0, 2000));
    await expect(importLog(target, cutGzip)).rejects.toThrow(/unexpected end of file/);
  });
});

describe('with the app role the server connects as (insert and select on the log, nothing more)', () => {
  const suffix = randomBytes(4).toString('hex');
  const [ownerRole, appRole, database] = [`arrakis_owner_${suffix}`, `arrakis_app_${suffix}`, `arrakis_import_roles_${suffix}`];
  const password = randomBytes(12).toString('hex');
  let admin: Sql;
  const as = (role: string) => connect(Object.assign(new URL(databaseUrl(inject('pgAdminUrl'), database)), { username: role, password }).toString(), { max: 2 });
  beforeAll(async () => {
    admin = connect(inject('pgAdminUrl'), { max: 1 });
    for (const role of [ownerRole, appRole]) await ensureLoginRole(admin, role, password);
    await admin.unsafe(`create database ${database} owner ${ownerRole}`);
    const owner = as(ownerRole);
    await migrate(owner);
    await grantAppRole(owner, appRole);
    await owner.end();
  });
  afterAll(async () => {
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    for (const role of [appRole, ownerRole]) await admin.unsafe(`drop role if exists ${role}`);
    await admin.end();
  });

  it('imports transcripts and restores an export', async () => {
    const app = as(appRole);
    try {
      const imported = await importTranscripts(app, [join(dir, 'projects')]);
      expect(imported).toMatchObject({ stored: imported.lines, failed: 0 });
      const restored = await restoreLog(app, createReadStream(join(dir, 'log.jsonl.gz')).pipe(createGunzip()));
      expect(restored.failed + restored.conflict).toBe(0);
      expect(restored.stored + restored.duplicate).toBe(restored.events);
      expect(restored.duplicate).toBe(imported.lines);
    } finally {
      await app.end();
    }
  });
});
