import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../core/event-store.js';
import type { NewEvent } from '../core/events.js';
import { transcriptLineEvent } from '../core/transcript-line.js';
import { startProjector, type Projector } from '../projections/engine/projector.js';
import { allProjections } from '../projections/index.js';
import { blockUsage, dailyUsage, sessionUsage } from '../projections/usage/queries.js';
import { listen, type RunningServer } from '../server/http.js';
import { testApp, testKeys } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { usageCommand } from './usage.js';
import { normalizeDay, parseUsageArgs } from './usage-args.js';
import { formatModelName, renderTable } from './usage-table.js';

let db: TestDatabase;
let projector: Projector;
let server: RunningServer;
let offset = 0;

const at = (day: number, h: number, m: number) => new Date(Date.UTC(2026, 10, day, h, m)).toISOString();
const usage = (input: number, output: number, read = 0) => ({ input_tokens: input, output_tokens: output, cache_creation_input_tokens: 0, cache_read_input_tokens: read });
function line(sessionId: string, id: string, model: string, tokens: object, timestamp: string, cwd: string): NewEvent {
  const text = JSON.stringify({ type: 'assistant', sessionId, cwd, timestamp, uuid: `${id}-u`, message: { id, model, role: 'assistant', content: [{ type: 'text', text: 'ok' }], usage: tokens } });
  return { ...transcriptLineEvent(text, { path: `/home/dev/.claude/projects/x/${sessionId}.jsonl`, offset: (offset += 1000), sessionId, capturedAt: timestamp }), client: { host: 'alpha' } };
}
const A = 'aaaaaaaa-2222-4000-8000-000000000001';
const B = 'bbbbbbbb-2222-4000-8000-000000000002';
const opus = 'claude-opus-4-7';
const sonnet = 'claude-sonnet-4-5-20250929';

beforeAll(async () => {
  db = await createTestDatabase();
  projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
  await appendEvents(db.sql, [
    // Friday 20 and Saturday 21 November 2026 (one Sunday-started week), then Monday 23 (the next).
    line(A, 'msg_1', opus, usage(10, 200, 1000), at(20, 9, 30), '/home/dev/app'),
    line(A, 'msg_2', sonnet, usage(5, 50), at(20, 10, 0), '/home/dev/app'),
    line(B, 'msg_3', sonnet, usage(100, 900, 5000), at(21, 8, 15), '/home/dev/lib'),
    line(B, 'msg_4', opus, usage(7, 70), at(23, 14, 40), '/home/dev/lib'),
    line(B, 'msg_5', opus, usage(3, 30), at(23, 14, 50), '/home/dev/lib'),
  ], new Date());
  await projector.settled();
  server = await listen(testApp(db.sql), { port: 0 });
});
afterAll(async () => {
  await server?.close();
  await projector.stop();
  await db.drop();
});

async function run(args: string[], env: NodeJS.ProcessEnv = { DATABASE_URL: db.url }, now = new Date()) {
  let out = '';
  const err: string[] = [];
  const code = await usageCommand(args, { env, out: (t) => (out += t), err: (l) => err.push(l), now: () => now, defaultTz: 'UTC' });
  return { code, out, err };
}
const viaServer = { ARRAKIS_URL: '', ARRAKIS_READ_KEY: testKeys.read };
const serverArgs = () => ['--url', server.url];

describe('usage arguments', () => {
  it('take ccusage dates either way, and pass them on as YYYY-MM-DD', () => {
    expect(normalizeDay('20261120')).toBe('2026-11-20');
    expect(normalizeDay('2026-11-20')).toBe('2026-11-20');
    expect(normalizeDay('20261131')).toBeUndefined();
    const args = parseUsageArgs(['daily', '--since', '20261101', '--until', '2026-11-30', '--breakdown'], 'Europe/Paris');
    expect(args).toMatchObject({ report: 'daily', breakdown: 'model', query: { since: '2026-11-01', until: '2026-11-30', tz: 'Europe/Paris', breakdown: 'model' } });
    expect(parseUsageArgs(['weekly', '--breakdown=project', '--tz', 'UTC'], 'Europe/Paris')).toMatchObject({ breakdown: 'project', query: { tz: 'UTC', breakdown: 'project' } });
  });

  it('refuse what cannot be meant, in one line each', () => {
    const problem = (args: string[]) => (parseUsageArgs(args, 'UTC') as { problem?: string }).problem;
    expect(problem([])).toMatch(/which report/);
    expect(problem(['yearly'])).toMatch(/unknown report 'yearly'/);
    expect(problem(['daily', '--since', '2026-13-01'])).toMatch(/--since must be a date/);
    expect(problem(['daily', '--since', '20261102', '--until', '20261101'])).toMatch(/after --until/);
    expect(problem(['daily', '--tz', 'Mars/Olympus'])).toMatch(/--tz must be an IANA time zone/);
    expect(problem(['daily', '--active'])).toMatch(/--active does not apply to the daily report/);
    expect(problem(['daily', '--order', 'cost'])).toMatch(/--order must be asc or desc/);
    expect(problem(['blocks', '--breakdown'])).toMatch(/--breakdown does not apply/);
    expect(problem(['daily', '--bogus'])).toMatch(/bogus/);
  });

  it('exit 2 with the usage on a bad argument', async () => {
    const { code, err, out } = await run(['daily', '--until', 'tomorrow']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^arrakis usage: --until must be a date.*\(usage: arrakis usage daily/);
  });
});

describe('usage tables', () => {
  it('shorten model names as ccusage does', () => {
    expect(formatModelName('claude-sonnet-4-20250514')).toBe('sonnet-4');
    expect(formatModelName('claude-opus-4-5-20251101')).toBe('opus-4-5');
    expect(formatModelName('claude-opus-4-7')).toBe('opus-4-7');
    expect(formatModelName('claude-3-sonnet-20240229')).toBe('claude-3-sonnet-20240229');
  });

  it('draw boxes with multi-line cells and right-aligned numbers', () => {
    expect(renderTable(['A', 'N'], [['x\ny', '1,000'], ['Total', '5']], ['left', 'right'])).toBe(
      ['┌───────┬───────┐', '│ A     │     N │', '├───────┼───────┤', '│ x     │ 1,000 │', '│ y     │       │', '├───────┼───────┤', '│ Total │     5 │', '└───────┴───────┘'].join('\n'),
    );
  });
});

describe('arrakis usage', () => {
  it('prints the daily report as ccusage JSON, the same from the database and from a server', async () => {
    const local = await run(['daily', '--json', '--tz', 'UTC']);
    expect(local.code).toBe(0);
    const json = JSON.parse(local.out);
    const { breakdown: _b, timezone: _t, ...expected } = await dailyUsage(db.sql, { tz: 'UTC' });
    expect(json).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(Object.keys(json)).toEqual(['daily', 'totals']);
    expect(json.daily.map((d: { date: string }) => d.date)).toEqual(['2026-11-20', '2026-11-21', '2026-11-23']);
    expect(json.daily[0]).toMatchObject({ inputTokens: 15, outputTokens: 250, cacheReadTokens: 1000, modelsUsed: [opus, sonnet] });
    expect(json.daily[0].modelBreakdowns.map((m: { modelName: string }) => m.modelName).sort()).toEqual([opus, sonnet]);

    const remote = await run(['daily', '--json', '--tz', 'UTC', ...serverArgs()], viaServer);
    expect(remote.code).toBe(0);
    expect(JSON.parse(remote.out)).toEqual(json);
  });

  it('counts weeks from Sunday, filters by YYYYMMDD days, and takes the machine zone by default', async () => {
    const weekly = JSON.parse((await run(['weekly', '--json'])).out);
    expect(weekly.weekly.map((w: { week: string }) => w.week)).toEqual(['2026-11-15', '2026-11-22']);
    const since = JSON.parse((await run(['daily', '--json', '--since', '20261121', '--until', '20261121', ...serverArgs()], viaServer)).out);
    expect(since.daily.map((d: { date: string }) => d.date)).toEqual(['2026-11-21']);
    // 08:15 UTC on the 21st is still the 21st in Tokyo; 09:30 on the 20th is 18:30 there.
    const tokyo = JSON.parse((await run(['daily', '--json', '--tz', 'Asia/Tokyo'])).out);
    expect(tokyo.daily.map((d: { date: string }) => d.date)).toEqual(['2026-11-20', '2026-11-21', '2026-11-23']);
    const monthly = JSON.parse((await run(['monthly', '--json', '--model', sonnet])).out);
    expect(monthly.monthly).toMatchObject([{ month: '2026-11', modelsUsed: [sonnet], inputTokens: 105 }]);
  });

  it('draws the daily table with a model sub-row each under --breakdown, and a Total row', async () => {
    const { code, out } = await run(['daily', '--breakdown', '--tz', 'UTC']);
    expect(code).toBe(0);
    const header = out.split('\n').find((l) => l.includes('Date'))!;
    expect(header.split('│').map((c) => c.trim()).filter(Boolean)).toEqual(['Date', 'Models', 'Input', 'Output', 'Cache Create', 'Cache Read', 'Total Tokens', 'Cost (USD)']);
    expect(out).toMatch(/│ 2026-11-20 +│ - opus-4-7 +│ +15 │ +250 │/);
    expect(out).toMatch(/│ +│ - sonnet-4-5 +│/);
    expect(out).toMatch(/│ {3}└─ opus-4-7 +│ +│ +10 │ +200 │ +0 │ +1,000 │ +1,210 │/);
    const totals = (await dailyUsage(db.sql, { tz: 'UTC' })).totals;
    expect(out).toMatch(new RegExp(`│ Total +│ +│ +125 │ +1,250 │ +0 │ +6,000 │ +7,375 │ +\\$${totals.totalCost.toFixed(2)} │`));
  });

  it('lists sessions with their project and last activity, JSON as ccusage names it', async () => {
    const json = JSON.parse((await run(['session', '--json', '--order', 'recent', ...serverArgs()], viaServer)).out);
    const { timezone: _t, ...expected } = await sessionUsage(db.sql, { tz: 'UTC', order: 'recent' });
    expect(json).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(json.sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual([B, A]);
    const table = (await run(['session', '--tz', 'UTC'])).out;
    expect(table).toMatch(/Session +│ Project +│ Models +│ +Input │.*│ Last Activity │/);
    expect(table).toMatch(new RegExp(`│ ${B} │ \\S+ +│ - opus-4-7 .*│ 2026-11-23 +│`));
  });

  it('shows blocks, the active one with its burn rate and projection', async () => {
    const now = new Date(Date.parse(at(23, 15, 0)));
    const json = JSON.parse((await run(['blocks', '--json', '--tz', 'UTC'], { DATABASE_URL: db.url }, now)).out);
    const { timezone: _t, ...expected } = await blockUsage(db.sql, { tz: 'UTC', now });
    expect(json).toEqual(JSON.parse(JSON.stringify(expected)));
    const active = json.blocks.filter((b: { isActive: boolean }) => b.isActive);
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({ startTime: '2026-11-23T14:00:00.000Z', totalTokens: 110 });
    expect(active[0].burnRate.costPerHour).toBeGreaterThan(0);
    expect(active[0].projection.totalCost).toBeGreaterThan(active[0].costUSD);

    const table = (await run(['blocks', '--tz', 'UTC'], { DATABASE_URL: db.url }, now)).out;
    expect(table.split('\n').find((l) => l.includes('Block Start'))!.split('│').map((c) => c.trim()).filter(Boolean)).toEqual(['Block Start', 'Duration/Status', 'Models', 'Tokens', '%', 'Cost']);
    expect(table).toMatch(/2026-11-23, 2:00:00 p\.m\. \(1h 0m elapsed, 4h 0m remaining\) +│ ACTIVE +│ - opus-4-7 +│ +110 │/);
    expect(table).toMatch(/\(inactive\)/);
    expect(table).toMatch(new RegExp(`│ BURN RATE +│.*│ +\\$${active[0].burnRate.costPerHour.toFixed(2)}/h │`));
    expect(table).toMatch(new RegExp(`│ \\(assuming current burn rate\\) +│ PROJECTED +│ +│ +${Math.round(active[0].projection.totalTokens).toLocaleString('en-US')} │ .*│ +\\$${active[0].projection.totalCost.toFixed(2)} │`));
    const only = JSON.parse((await run(['blocks', '--json', '--active'], { DATABASE_URL: db.url }, now)).out);
    expect(only.blocks).toHaveLength(1);
  });

  it('says in one line why a server could not answer', async () => {
    const refused = await run(['daily', ...serverArgs()], { ...viaServer, ARRAKIS_READ_KEY: 'wrong-key-0123456789abcdef' });
    expect(refused.code).toBe(1);
    expect(refused.err).toEqual([expect.stringMatching(/^arrakis usage: http:\/\/127\.0\.0\.1:\d+ answered 401/)]);
  });
});
