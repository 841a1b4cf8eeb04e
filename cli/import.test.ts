import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importTranscripts } from '../core/import/transcript-import.js';
import { listConversations } from '../projections/conversations/queries.js';
import { startProjector } from '../projections/engine/projector.js';
import { allProjections } from '../projections/index.js';
import { statsSummary, tokensForSession } from '../projections/stats-queries.js';
import { post, testApp } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { envelope } from '../test/support/events.js';
import { oldSession, recentSession, shippedLines, writeTranscripts } from '../test/support/transcripts.js';
import { importCommand } from './import.js';

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'arrakis-import-'));
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[], env: NodeJS.ProcessEnv = {}, home = join(dir, 'nohome')) {
  let err = '';
  const code = await importCommand(args, { env: { DATABASE_URL: db.url, ...env }, home, err: (t) => (err += t), tty: false });
  return { code, err };
}

const eventCount = async () => (await db.sql<{ n: number }[]>`select count(*)::int as n from arrakis.events`)[0]!.n;

async function project() {
  const projector = await startProjector(db.sql, { projections: allProjections });
  await projector.settled();
  await projector.stop();
}

describe('arrakis import', () => {
  const recent = randomUUID();
  const old = randomUUID();

  it('stores every complete line once, counts the odd ones, and builds the conversations and token totals', async () => {
    const root = join(dir, 'projects');
    await writeTranscripts(root, [...recentSession(recent), oldSession(old)]);

    const first = await importTranscripts(db.sql, [root]);
    expect(first).toMatchObject({ files: 3, unreadable: 0, lines: 20, stored: 20, duplicate: 0, conflict: 0, failed: 0, malformed: 1, nonObject: 1, partial: 1, oversized: 0 });
    expect(await eventCount()).toBe(20);
    const types = await db.sql<{ type: string; session_id: string; n: number }[]>`
      select type, session_id, count(*)::int as n from arrakis.events group by 1, 2 order by 1, 2`;
    // Lines without a sessionId (the old session, snapshots) take the session of their file.
    expect(types).toEqual(
      [
        { type: 'transcript.assistant', session_id: old, n: 3 },
        { type: 'transcript.assistant', session_id: recent, n: 5 },
        { type: 'transcript.file-history-snapshot', session_id: recent, n: 1 },
        { type: 'transcript.last-prompt', session_id: recent, n: 1 },
        { type: 'transcript.summary', session_id: old, n: 1 },
        { type: 'transcript.system', session_id: old, n: 1 },
        { type: 'transcript.system', session_id: recent, n: 1 },
        { type: 'transcript.unparsed', session_id: recent, n: 2 },
        { type: 'transcript.user', session_id: old, n: 2 },
        { type: 'transcript.user', session_id: recent, n: 3 },
      ].sort((a, b) => (a.type + a.session_id < b.type + b.session_id ? -1 : 1)),
    );

    await project();
    const { items } = await listConversations(db.sql);
    const byId = new Map(items.map((c) => [c.sessionId, c]));
    expect(byId.get(recent)).toMatchObject({ title: 'Fix the failing test in parser.ts', project: 'app', promptCount: 1, messageCount: 3, toolUseCount: 1, subagentCount: 1, status: 'waiting' });
    expect(byId.get(old)).toMatchObject({ title: 'Parser refactor', project: 'old', promptCount: 1, messageCount: 3, toolUseCount: 1, status: 'waiting', startedAt: '2025-07-01T08:00:01.000Z' });
    // A response split over several lines counts once; the subagent's response counts in its session.
    expect(await tokensForSession(db.sql, recent)).toMatchObject({
      'claude-sonnet-4-5': { input: 30, output: 250, cacheCreation: 1000, cacheRead: 11000 },
      'claude-haiku-4-5': { input: 5, output: 30, cacheCreation: 100, cacheRead: 200 },
    });
    expect(await tokensForSession(db.sql, old)).toMatchObject({ 'claude-sonnet-4-20250514': { input: 12, output: 140, cacheCreation: 500, cacheRead: 500 } });
    expect((await statsSummary(db.sql)).events.byType).toMatchObject({ 'transcript.unparsed': 2, 'transcript.assistant': 8 });
  });

  it('adds nothing the second time, through the command as through the function', async () => {
    const before = await eventCount();
    const again = await run([join(dir, 'projects')]);
    expect(again.code).toBe(0);
    // Lines already stored are skipped unread, so the malformed ones are not counted again.
    expect(again.err).toMatch(/imported 3 files: 20 lines, 0 stored, 20 duplicates, 0 malformed, 0 not an object, 1 unfinished \(left for the hook\); /);
    expect(again.err).toMatch(/unfinished last line of .*\.jsonl \(byte \d+, \d+ bytes\)/);
    expect(await eventCount()).toBe(before);
  });

  it('adds nothing for lines the hook already shipped, wherever the file lives', async () => {
    const sessionId = randomUUID();
    const [main, subagent] = recentSession(sessionId, '-home-dev-shipped');
    const app = testApp(db.sql);
    // The hook reads the files under the user's home; the import reads a copy elsewhere.
    const transcript = [
      { path: `/home/dev/.claude/projects/${main!.path}`, offset: 0, lines: shippedLines(main!) },
      { path: `/home/dev/.claude/projects/${subagent!.path}`, offset: 0, lines: shippedLines(subagent!) },
    ];
    const response = await app.request('/api/claude-hooks', post(JSON.stringify(envelope({ sessionId, event: 'Stop', transcript }))));
    expect(response.status).toBe(201);
    const before = await eventCount();

    const root = join(dir, 'copy-of-shipped');
    await writeTranscripts(root, [main!, subagent!]);
    const tally = await importTranscripts(db.sql, [root]);
    expect(tally).toMatchObject({ lines: 13, stored: 0, duplicate: 13, partial: 1 });
    expect(await eventCount()).toBe(before);
  });

  it('and the hook adds nothing for lines imported before it shipped them', async () => {
    const sessionId = randomUUID();
    const file = oldSession(sessionId, '-home-dev-imported');
    const root = join(dir, 'imported-first');
    await writeTranscripts(root, [file]);
    expect(await importTranscripts(db.sql, [root])).toMatchObject({ lines: 7, stored: 7 });
    const before = await eventCount();

    // Shipped in two chunks, the second starting at the byte offset after the first two lines.
    const lines = shippedLines(file);
    const second = lines.slice(0, 2).reduce((at, line) => at + Buffer.byteLength(line) + 1, 0);
    const transcript = [
      { path: `/Users/dev/.claude/projects/${file.path}`, offset: 0, lines: lines.slice(0, 2) },
      { path: `/Users/dev/.claude/projects/${file.path}`, offset: second, lines: lines.slice(2) },
    ];
    const response = await testApp(db.sql).request('/api/claude-hooks', post(JSON.stringify(envelope({ sessionId, transcript }))));
    expect(response.status).toBe(201);
    // Only the hook event itself is new.
    expect(await eventCount()).toBe(before + 1);
  });

  it('still adds nothing when the shipped lines come after new ones', async () => {
    const sessionId = randomUUID();
    const line = (n: number) => JSON.stringify({ type: 'progress', sessionId, n, timestamp: new Date(Date.UTC(2026, 3, 1, 0, 0, n)).toISOString() });
    const lines = Array.from({ length: 1500 }, (_, n) => line(n));
    const path = `-home-dev-long/${sessionId}.jsonl`;
    const offset = lines.slice(0, 1200).reduce((at, text) => at + Buffer.byteLength(text) + 1, 0);
    const transcript = [{ path: `/home/dev/.claude/projects/${path}`, offset, lines: lines.slice(1200) }];
    expect((await testApp(db.sql).request('/api/claude-hooks', post(JSON.stringify(envelope({ sessionId, transcript }))))).status).toBe(201);
    const before = await eventCount();
    await writeTranscripts(join(dir, 'long'), [{ path, lines }]);
    expect(await importTranscripts(db.sql, [join(dir, 'long')])).toMatchObject({ lines: 1500, stored: 1200, duplicate: 300, failed: 0 });
    expect(await eventCount()).toBe(before + 1200);
  });

  it('imports sessions side by side, yet stores each session\'s lines in the order of its files', async () => {
    const sessions = Array.from({ length: 4 }, () => randomUUID());
    const lines = (sessionId: string, file: string) =>
      Array.from({ length: 3000 }, (_, n) => JSON.stringify({ type: 'progress', sessionId, part: file, n, pad: 'x'.repeat(300) }));
    await writeTranscripts(join(dir, 'lanes'), sessions.flatMap((sessionId) => [
      { path: `-home-dev-lanes/${sessionId}.jsonl`, lines: lines(sessionId, 'main') },
      { path: `-home-dev-lanes/${sessionId}/subagents/agent-a1.jsonl`, lines: lines(sessionId, 'agent') },
    ]));
    expect(await importTranscripts(db.sql, [join(dir, 'lanes')], { lanes: 2 })).toMatchObject({ files: 8, stored: 24000, failed: 0 });

    const stored = await db.sql<{ session_id: string; file: string; n: number }[]>`
      select session_id, payload->'line'->>'part' as file, (payload->'line'->>'n')::int as n from arrakis.events
      where session_id in ${db.sql(sessions)} order by position`;
    const inFileOrder = ['main', 'agent'].flatMap((file) => Array.from({ length: 3000 }, (_, n) => `${file} ${n}`));
    for (const sessionId of sessions) {
      expect(stored.filter((row) => row.session_id === sessionId).map(({ file, n }) => `${file} ${n}`)).toEqual(inFileOrder);
    }
    // Two lanes did write at once: some session's lines were not all stored before the next one's.
    const firstOf = stored.map((row) => row.session_id).filter((id, i, all) => id !== all[i - 1]);
    expect(firstOf.length).toBeGreaterThan(sessions.length);
  });

  it('reads the default folders: ~/.claude/projects and $CLAUDE_CONFIG_DIR/projects', async () => {
    const home = join(dir, 'home');
    const config = join(dir, 'config');
    const [inHome, inConfig] = [randomUUID(), randomUUID()];
    await writeTranscripts(join(home, '.claude', 'projects'), [oldSession(inHome)]);
    await writeTranscripts(join(config, 'projects'), [oldSession(inConfig)]);
    const { code, err } = await run([], { CLAUDE_CONFIG_DIR: config }, home);
    expect(code).toBe(0);
    expect(err).toMatch(/imported 2 files: 14 lines, 14 stored/);
    const sessions = await db.sql`select distinct session_id from arrakis.events where session_id in (${inHome}, ${inConfig})`;
    expect(sessions).toHaveLength(2);
  });

  it('exits 1 with the reason when PATH or the default folder is missing, and 2 on bad usage', async () => {
    const missing = await run([join(dir, 'nowhere')]);
    expect(missing).toEqual({ code: 1, err: `arrakis import: no such file or folder: ${join(dir, 'nowhere')}\n` });
    const none = await run([], {}, join(dir, 'empty-home'));
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/^arrakis import: no Claude Code transcripts at .*empty-home\/\.claude\/projects; name the folder/);
    const bad = await run(['--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/usage: arrakis import/);
  });

  const fixtures = '/work/shared/fixtures/claude-code';
  it.skipIf(!existsSync(fixtures))('imports the real transcripts of the shared fixtures without a failure', async () => {
    const { code, err } = await run([fixtures]);
    expect(err).not.toMatch(/could not be stored|failed/);
    expect(code).toBe(0);
    const again = await importTranscripts(db.sql, [fixtures]);
    expect(again).toMatchObject({ stored: 0, failed: 0, conflict: 0, unreadable: 0 });
    expect(again.duplicate).toBe(again.lines);
    await project();
    const [parked] = await db.sql<{ n: number }[]>`select count(*)::int as n from arrakis.projection_parked`;
    expect(parked!.n).toBe(0);
  });
});
