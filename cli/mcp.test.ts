import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilReadable } from '../core/event-store.js';
import { createAppender } from '../core/group-commit.js';
import { projectRoot } from '../core/paths.js';
import { testKeys } from '../test/support/app.js';
import { startUiServer, type UiServer } from '../test/support/browser.js';
import { chatEvents } from '../test/support/chats.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { turnEvents } from '../test/support/sessions.js';

let db: TestDatabase;
let server: UiServer;
let dataDir: string;
const chat = 'aaaaaaaa-2222-4000-8000-000000000001';
const site = 'bbbbbbbb-2222-4000-8000-000000000002';
const build = 'cccccccc-2222-4000-8000-000000000003';
const open: Client[] = [];

// cli/main.ts as `arrakis mcp` runs it, from the sources (bin/arrakis.js needs a build).
const entry = `const { main } = await import(${JSON.stringify(join(projectRoot, 'cli', 'main.ts'))}); process.exitCode = await main(process.argv.slice(1));`;

async function connect(env: Record<string, string>, args: string[] = []): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', '--input-type=module', '-e', entry, 'mcp', ...args],
    // Only what the test gives, and an empty data dir: no key from this checkout's .arrakis.
    env: { PATH: process.env.PATH ?? '', ARRAKIS_DATA_DIR: dataDir, TZ: 'UTC', ...env },
    cwd: projectRoot,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'arrakis-test', version: '1.0.0' });
  await client.connect(transport);
  open.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as Array<{ type: string; text: string }>;
  return { isError: result.isError === true, text: content.map((part) => part.text).join('\n') };
}

let client: Client;

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'arrakis-mcp-'));
  const appender = createAppender(db.sql);
  await appender.append(chatEvents(chat, '/home/dev/app', 20, [
    ['Rename the parser module', 'Done: the quokka helper is gone.'],
    ['Why does the quokka test flake?', 'A race in the timer.'],
    ['Thanks, ship it', 'Shipped.'],
  ]));
  await appender.append(chatEvents(site, '/home/dev/site', 21, [['Add a banner to the landing page', 'Added it.']]));
  for (let turn = 0; turn < 2; turn++) await appender.append(turnEvents(build, turn, new Date(Date.UTC(2026, 10, 19, 9, turn))));
  await untilReadable(db.sql);
  server = await startUiServer(db);
  await server.projector.settled();
  client = await connect({ ARRAKIS_URL: server.url, ARRAKIS_READ_KEY: testKeys.read });
}, 60_000);

afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await server?.close();
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('arrakis mcp', () => {
  it('lists its four read-only tools, each described, with its input schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['get_conversation', 'get_usage', 'list_recent_sessions', 'search_conversations']);
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(80);
      expect(tool.annotations?.readOnlyHint).toBe(true);
    }
    const search = tools.find((t) => t.name === 'search_conversations')!;
    expect(search.inputSchema.required).toEqual(['query']);
    expect(Object.keys(search.inputSchema.properties!)).toEqual(['query', 'project', 'limit', 'cursor']);
  });

  it('search_conversations finds a word typed in a prompt, with a snippet around it', async () => {
    const { isError, text } = await call(client, 'search_conversations', { query: 'quokka' });
    expect(isError).toBe(false);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^- Rename the parser module \\[app\\] session ${chat}, 2026-11-20T08:00:11.000Z, in the prompt message prompt:`));
    expect(lines[1]).toBe('  Why does the **quokka** test flake?');
    expect(lines[3]).toBe('  Done: the **quokka** helper is gone.');
    expect(lines).toHaveLength(4);
    expect((await call(client, 'search_conversations', { query: 'zanzibar' })).text).toBe('No conversation holds every word of "zanzibar".');
    expect((await call(client, 'search_conversations', { query: 'quokka', project: 'site' })).text).toMatch(/^No conversation/);
  });

  it('get_conversation gives the summary and the timeline a page at a time', async () => {
    // Each prompt is two entries (its hook and its line, shown as one): three make an exchange.
    const first = await call(client, 'get_conversation', { sessionId: chat, limit: 3 });
    expect(first.isError).toBe(false);
    expect(first.text).toContain('Title: Rename the parser module');
    expect(first.text).toContain(`Session: ${chat}`);
    expect(first.text).toContain('Project: app (cwd /home/dev/app)');
    expect(first.text).toContain('Counts: 3 prompts');
    expect(first.text).toContain('[2026-11-20 08:00:01Z] User: Rename the parser module');
    expect(first.text).toContain('[2026-11-20 08:00:02Z] Assistant (claude-sonnet-4-5): Done: the quokka helper is gone.');
    expect(first.text).not.toContain('flake');
    const cursor = /cursor "([^"]+)"/.exec(first.text)![1]!;
    const second = await call(client, 'get_conversation', { sessionId: chat, limit: 3, cursor });
    // A later page is the timeline alone.
    expect(second.text).not.toContain('Title:');
    expect(second.text.match(/User: /g)).toHaveLength(1);
    expect(second.text).toContain('User: Why does the quokka test flake?');
    const rest = await call(client, 'get_conversation', { sessionId: chat, limit: 50, cursor: /cursor "([^"]+)"/.exec(second.text)![1]! });
    expect(rest.text).toContain('User: Thanks, ship it');
    expect(rest.text).toContain('Assistant (claude-sonnet-4-5): Shipped.');
    expect(rest.text).not.toContain('More:');
  });

  it('get_conversation summarises tool calls and cuts long output with a note, and counts cost and models', async () => {
    const { text } = await call(client, 'get_conversation', { sessionId: build });
    expect(text).toMatch(/Cost: \$0\.\d\d for [\d,]+ tokens; models: claude-sonnet-4-5/);
    expect(text).toMatch(/Tool Bash\(npm test\) → ok, 900 ms\n {2}PASS test\/0\.test\.ts/);
    expect(text).toMatch(/ {4}✓ does a thing that matters \(3 ms\)\n {2}\[… \d+ more lines cut; the UI and the log keep them whole\]\n/);
    expect(text).not.toContain('Let me look at the failing test first.');
    const unknown = await call(client, 'get_conversation', { sessionId: 'no-such-session' });
    expect(unknown).toEqual({ isError: true, text: 'Arrakis: not found: no conversation no-such-session' });
  });

  it('list_recent_sessions lists the newest first, and those of one project', async () => {
    const all = (await call(client, 'list_recent_sessions', {})).text.split('\n');
    expect(all.map((line) => /session (\S+)$/.exec(line)?.[1])).toEqual([site, chat, build]);
    expect(all[0]).toBe(`- Add a banner to the landing page [site] waiting, last activity 2026-11-21T08:00:03.000Z, 1 prompts, $0.00, session ${site}`);
    const app = (await call(client, 'list_recent_sessions', { project: 'app', limit: 1 })).text;
    expect(app).toMatch(new RegExp(`session ${chat}\\nMore: call list_recent_sessions again with cursor "`));
  });

  it('get_usage reports days and sessions with their cost, and the active block', async () => {
    const daily = await call(client, 'get_usage', { report: 'daily', tz: 'UTC' });
    expect(daily.isError).toBe(false);
    expect(daily.text).toMatch(/^Usage daily, the first capture to today \(UTC\):\n- 2026-11-21: /);
    expect(daily.text).toMatch(/- 2026-11-19: \$0\.\d\d, [\d,]+ tokens .*; claude-sonnet-4-5 \$0\.\d\d/);
    expect(daily.text).toMatch(/Total: \$0\.\d\d, /);
    expect(daily.text).toContain('Active 5-hour billing block: none.');
    const sessions = await call(client, 'get_usage', { report: 'session', since: '2026-11-19', until: '2026-11-19', tz: 'UTC' });
    expect(sessions.text).toContain(`session ${build}`);
    expect(sessions.text).not.toContain(chat);
  });

  it('answers each call with a clear error when the key is not a read key, there is none, or the server is down', async () => {
    const [ingest, keyless, down] = await Promise.all([
      connect({ ARRAKIS_URL: server.url, ARRAKIS_READ_KEY: testKeys.ingest }),
      connect({ ARRAKIS_URL: server.url }),
      connect({ ARRAKIS_READ_KEY: testKeys.read }, ['--url', 'http://127.0.0.1:9/']),
    ]);
    const refused = await call(ingest, 'search_conversations', { query: 'quokka' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/^Arrakis: the Arrakis server at http:\/\/127\.0\.0\.1:\d+ refused the key \(403.*\): ARRAKIS_READ_KEY must be its read key, not the ingest key\.$/);
    expect((await call(keyless, 'list_recent_sessions', {})).text).toMatch(/^Arrakis: Arrakis has no read key here: set ARRAKIS_READ_KEY/);
    const unreachable = await call(down, 'get_usage', {});
    expect(unreachable.isError).toBe(true);
    expect(unreachable.text).toMatch(/^Arrakis: cannot reach the Arrakis server at http:\/\/127\.0\.0\.1:9 \(.+\): is it running/);
  }, 30_000);
});
