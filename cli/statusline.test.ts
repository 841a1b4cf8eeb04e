import { createServer } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../core/event-store.js';
import type { NewEvent } from '../core/events.js';
import { transcriptLineEvent } from '../core/transcript-line.js';
import { startProjector, type Projector } from '../projections/engine/projector.js';
import { allProjections } from '../projections/index.js';
import { statuslineUsage } from '../projections/usage/queries.js';
import { listen, type RunningServer } from '../server/http.js';
import { testApp, testKeys } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { formatStatusline, machineZone, OFFLINE, statuslineCommand } from './statusline.js';

let db: TestDatabase;
let projector: Projector;
let server: RunningServer;
let offset = 0;

const S = 'cccccccc-3333-4000-8000-000000000001';
const other = 'dddddddd-3333-4000-8000-000000000002';
function line(sessionId: string, id: string, minutesAgo: number): NewEvent {
  const timestamp = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const usage = { input_tokens: 1000, output_tokens: 2000, cache_creation_input_tokens: 0, cache_read_input_tokens: 50_000 };
  const text = JSON.stringify({ type: 'assistant', sessionId, cwd: '/home/dev/app', timestamp, uuid: `${id}-u`, message: { id, model: 'claude-opus-4-7', role: 'assistant', content: [{ type: 'text', text: 'ok' }], usage } });
  return { ...transcriptLineEvent(text, { path: `/p/${sessionId}.jsonl`, offset: (offset += 1000), sessionId, capturedAt: timestamp }), client: { host: 'alpha' } };
}

beforeAll(async () => {
  db = await createTestDatabase();
  projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
  // Two responses of this session and one of another, in the last few minutes: a block under way.
  await appendEvents(db.sql, [line(S, 'msg_s1', 4), line(S, 'msg_s2', 2), line(other, 'msg_o1', 1)], new Date());
  await projector.settled();
  server = await listen(testApp(db.sql), { port: 0 });
});
afterAll(async () => {
  await server?.close();
  await projector.stop();
  await db.drop();
});

async function statusline(stdin: string, env: NodeJS.ProcessEnv, args: string[] = []) {
  const out: string[] = [];
  const code = await statuslineCommand(args, { env, stdin: Readable.from([stdin]), out: (l) => out.push(l) });
  return { code, out };
}
const env = () => ({ ARRAKIS_URL: server.url, ARRAKIS_READ_KEY: testKeys.read });
const input = (sessionId: string) => JSON.stringify({ session_id: sessionId, model: { id: 'claude-opus-4-7', display_name: 'Opus' }, workspace: { current_dir: '/home/dev/app' } });
const money = (usd: number) => `$${usd.toFixed(2)}`;

describe('formatStatusline', () => {
  it('shows the session, today, the burn rate and the time left', () => {
    const burnRate = { tokensPerMinute: 100, tokensPerMinuteForIndicator: 100, costPerHour: 2.054 };
    expect(formatStatusline({ session: { sessionId: 's', costUsd: 0.4249 }, today: { date: '2026-11-20', costUsd: 3.1 }, block: { costUsd: 1, endTime: '', remainingMinutes: 133, burnRate } })).toBe(
      '$0.42 session · $3.10 today · $2.05/h · 2h13m left',
    );
    expect(formatStatusline({ session: null, today: { date: '2026-11-20', costUsd: 0 }, block: null })).toBe('$0.00 today · no active block');
    expect(formatStatusline({ session: null, today: { date: '2026-11-20', costUsd: 0 }, block: { costUsd: 0, endTime: '', remainingMinutes: 7, burnRate: null } })).toBe('$0.00 today · 7m left');
  });
});

describe('machineZone', () => {
  it('takes TZ, else the zone /etc/localtime names, a zone Intl knows either way', () => {
    expect(machineZone({ TZ: 'Asia/Tokyo' })).toBe('Asia/Tokyo');
    expect(machineZone({ TZ: ':Europe/Paris' })).toBe('Europe/Paris');
    const zone = machineZone({ TZ: 'EST5EDT,M3.2.0,M11.1.0' });
    expect(() => new Intl.DateTimeFormat('en', { timeZone: zone })).not.toThrow();
  });
});

describe('arrakis statusline', () => {
  it("prints one line with this session's cost, today's and the active block's, from one request", async () => {
    const { code, out } = await statusline(input(S), env());
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const tz = machineZone({});
    const expected = await statuslineUsage(db.sql, { sessionId: S, tz, now: new Date() });
    expect(expected.block?.burnRate?.costPerHour).toBeGreaterThan(0);
    const [session, today, rate, left] = out[0]!.split(' · ');
    expect(session).toBe(`${money(expected.session!.costUsd)} session`);
    expect(today).toBe(`${money(expected.today.costUsd)} today`);
    expect(rate).toBe(`${money(expected.block!.burnRate!.costPerHour)}/h`);
    expect(left).toMatch(/^(\dh\d{2}m|\d{1,2}m) left$/);
  });

  it('still prints today and the block when the input is not JSON', async () => {
    const { code, out } = await statusline('not json', env());
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^\$\d+\.\d{2} today · \$\d+\.\d{2}\/h · /);
  });

  it('prints a short fallback and exits 0 when the server is down, refuses the key, or there is no key', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    expect(await statusline(input(S), { ARRAKIS_URL: `http://127.0.0.1:${closed}/`, ARRAKIS_READ_KEY: testKeys.read })).toEqual({ code: 0, out: [OFFLINE] });
    expect(await statusline(input(S), { ARRAKIS_URL: server.url, ARRAKIS_READ_KEY: 'not-the-key-0123456789' })).toEqual({ code: 0, out: [OFFLINE] });
    expect(await statusline(input(S), { ARRAKIS_URL: 'not a url', ARRAKIS_READ_KEY: testKeys.read })).toEqual({ code: 0, out: [OFFLINE] });
    expect(await statusline(input(S), { ARRAKIS_URL: server.url, ARRAKIS_DATA_DIR: '/nonexistent/arrakis' })).toEqual({ code: 0, out: ['arrakis: no read key'] });
  });

  it('takes --url over ARRAKIS_URL', async () => {
    const { out } = await statusline(input(S), { ARRAKIS_URL: 'http://127.0.0.1:1/', ARRAKIS_READ_KEY: testKeys.read }, ['--url', server.url]);
    expect(out[0]).toMatch(/ session · /);
  });
});
