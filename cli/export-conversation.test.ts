import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../core/event-store.js';
import { startProjector } from '../projections/engine/projector.js';
import { allProjections } from '../projections/index.js';
import { listen, type RunningServer } from '../server/http.js';
import { testApp, testKeys } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { exportSession, HOSTILE, SECRET } from '../test/support/export-session.js';
import { exportConversationCommand, parseExportConversationArgs } from './export-conversation.js';
import { main } from './main.js';

let db: TestDatabase;
let server: RunningServer;
let dir: string;
const S = 'cccccccc-5555-4000-8000-000000000001';

beforeAll(async () => {
  db = await createTestDatabase();
  await appendEvents(db.sql, exportSession(S, 'Ship the export'), new Date());
  const projector = await startProjector(db.sql, { projections: allProjections });
  await projector.settled();
  await projector.stop();
  server = await listen(testApp(db.sql), { port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'arrakis-export-'));
}, 60_000);
afterAll(async () => {
  await server?.close();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[], env: NodeJS.ProcessEnv = { DATABASE_URL: db.url }) {
  let out = '';
  const err: string[] = [];
  const code = await exportConversationCommand(args, { env, out: (t) => (out += t), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('export-conversation arguments', () => {
  it('take an id, a format (or the --out extension), --redact and --url', () => {
    expect(parseExportConversationArgs([S])).toEqual({ sessionId: S, format: 'md', redact: false, out: undefined, url: undefined });
    expect(parseExportConversationArgs([S, '--out', 'a.html', '--redact', '--url=http://x/'])).toMatchObject({ format: 'html', out: 'a.html', redact: true, url: 'http://x/' });
    expect(parseExportConversationArgs(['--format', 'md', '--out', 'a.html', S])).toMatchObject({ format: 'md' });
    expect(parseExportConversationArgs([])).toEqual({ problem: expect.stringMatching(/which conversation/) });
    expect(parseExportConversationArgs([S, '--format', 'pdf'])).toEqual({ problem: expect.stringMatching(/md or html/) });
    expect(parseExportConversationArgs([S, 'other'])).toEqual({ problem: expect.stringMatching(/one conversation at a time/) });
  });
});

describe('arrakis export-conversation', () => {
  it('prints Markdown from the database', async () => {
    const { code, out, err } = await run([S]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out).toMatch(/^# Ship the export /);
    expect(out).toContain('## Turn 1 · 2026-03-01 10:00:01 UTC');
    expect(out).toContain(SECRET);
  });

  it('writes redacted HTML to a file, the same from the database and from a server', async () => {
    const local = join(dir, 'local.html');
    const remote = join(dir, 'remote.html');
    expect(await run([S, '--out', local, '--redact'])).toMatchObject({ code: 0, out: '', err: [`wrote ${local}`] });
    const viaServer = await run([S, '--redact', '--out', remote, '--url', server.url], { ARRAKIS_READ_KEY: testKeys.read });
    expect(viaServer).toMatchObject({ code: 0, err: [`wrote ${remote}`] });
    const html = await readFile(local, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('alice');
    expect(html).not.toContain(SECRET);
    // Only the footer's export time may differ.
    const timeless = (text: string) => text.replace(/Exported from Arrakis on [^<]*/, '');
    expect(timeless(await readFile(remote, 'utf8'))).toBe(timeless(html));
  });

  it('says what is wrong in one line: an unknown id, a refused key, a bad argument', async () => {
    expect(await run(['nope'])).toMatchObject({ code: 1, err: ['arrakis export-conversation: no conversation nope'] });
    const refused = await run([S, '--url', server.url], { ARRAKIS_READ_KEY: 'wrong-key-0123456789' });
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatch(/^arrakis export-conversation: http:\/\/127\.0\.0\.1:\d+ answered 401/);
    const unknown = await run(['nope', '--url', server.url], { ARRAKIS_READ_KEY: testKeys.read });
    expect(unknown.err[0]).toMatch(/answered 404: no conversation nope$/);
    expect(await run([S, '--bogus'])).toMatchObject({ code: 2, err: [expect.stringMatching(/unknown option --bogus/)] });
  });

  it('is listed in arrakis help', async () => {
    const write = process.stdout.write.bind(process.stdout);
    let text = '';
    process.stdout.write = ((chunk: string) => ((text += chunk), true)) as typeof process.stdout.write;
    try {
      expect(await main(['help'])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(text).toContain('export-conversation ID [--format md|html] [--out FILE] [--redact] [--url URL]');
  });
});
