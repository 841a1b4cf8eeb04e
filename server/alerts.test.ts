import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Sql } from '../core/db.js';
import { createAppender } from '../core/group-commit.js';
import { createLogger, type Logger } from '../core/log.js';
import type { Actor } from '../core/admin-events.js';
import { requestRetry } from '../projections/engine/parked.js';
import { startProjector } from '../projections/engine/projector.js';
import { allProjections } from '../projections/index.js';
import { post, testKeys } from '../test/support/app.js';
import { counterProjection } from '../test/support/counter-projection.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { hookEvent } from '../test/support/events.js';
import { turnEvents } from '../test/support/sessions.js';
import { alertRules, databaseRule, ingestFailuresRule, projectionsRule, silenceRule, type Rule } from './alert-rules.js';
import type { AlertNotice } from './alert-webhook.js';
import { createAlerts, type AlertsOptions } from './alerts.js';
import { createApp } from './app.js';
import { createMetrics } from './metrics.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());


type Line = { level: string; msg: string; alert?: string; message?: string; [field: string]: unknown };

/** A logger keeping its lines, and a way to wait for one that has not been written yet. */
function capturingLogger(): { logger: Logger; lines: Line[]; next(msg: string): Promise<Line> } {
  const lines: Line[] = [];
  const waiting: Array<{ msg: string; resolve: (line: Line) => void }> = [];
  const logger = createLogger({
    write: (text) => {
      const line = JSON.parse(text) as Line;
      lines.push(line);
      for (const w of waiting.filter((w) => w.msg === line.msg)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(line);
      }
    },
  });
  return { logger, lines, next: (msg) => new Promise((resolve) => waiting.push({ msg, resolve })) };
}

/** The system under test, wired as cli/serve.ts wires it, with the clock in the test's hands. */
function setup(options: Partial<AlertsOptions> & { sql?: typeof db.sql } = {}) {
  let now = new Date('2026-11-25T12:00:00.000Z');
  const sql = options.sql ?? db.sql;
  const clock = () => now;
  const { logger, lines, next } = capturingLogger();
  const metrics = createMetrics({ sql });
  const alerts = createAlerts({ rules: alertRules(sql, metrics), logger, clock, ...options });
  const app = createApp({ sql, appender: createAppender(sql, { clock }), keys: testKeys, metrics, alerts: alerts.firing });
  const health = async () => (await app.request('/api/health')).json() as Promise<{ status: string; checks: { alerts: Array<{ id: string; level: string }> } }>;
  const refuse = (n: number) => Promise.all(Array.from({ length: n }, () => app.request('/api/claude-hooks', post('{"broken'))));
  return { alerts, app, lines, next, health, refuse, clock, advance: (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000)) };
}

const raised = (lines: Line[]) => lines.filter((l) => l.msg === 'alert raised').map((l) => [l.level, l.alert]);
const cleared = (lines: Line[]) => lines.filter((l) => l.msg === 'alert cleared').map((l) => [l.level, l.alert]);

describe('refused ingest requests in the last hour', () => {
  it('warn above 10, are critical above 50, and stop counting once an hour old', async () => {
    const { alerts, lines, health, refuse, advance } = setup();
    await refuse(10);
    expect(await alerts.evaluate()).toEqual([]);
    await refuse(1);
    expect(await alerts.evaluate()).toMatchObject([{ id: 'ingest-failures', level: 'warning', details: { count: 11 } }]);
    expect(await health()).toMatchObject({ status: 'healthy', checks: { alerts: [{ id: 'ingest-failures', level: 'warning' }] } });

    advance(30);
    await refuse(40);
    expect(await alerts.evaluate()).toMatchObject([{ id: 'ingest-failures', level: 'critical', details: { count: 51 } }]);
    expect(await health()).toMatchObject({ status: 'degraded', checks: { alerts: [{ id: 'ingest-failures', level: 'critical' }] } });

    advance(31);
    expect(await alerts.evaluate()).toMatchObject([{ id: 'ingest-failures', level: 'warning', details: { count: 40 } }]);
    advance(31);
    expect(await alerts.evaluate()).toEqual([]);
    expect(raised(lines)).toEqual([['warn', 'ingest-failures'], ['error', 'ingest-failures'], ['warn', 'ingest-failures']]);
    expect(cleared(lines)).toEqual([['info', 'ingest-failures']]);
    expect(lines.at(-1)).toMatchObject({ msg: 'alert cleared', message: expect.stringMatching(/ingest recovered/) });
    expect((await health()).checks.alerts).toEqual([]);
  });
});

const testActor: Actor = { by: { scope: 'admin', via: 'key', fingerprint: '0123abcd' }, requestId: 'alerts-test' };

describe('projections', () => {
  it('raise a warning for a parked event, shown by /api/health, and log its recovery at info once resolved', async () => {
    let broken = true;
    const { alerts, lines, health, clock } = setup();
    const projection = counterProjection({ name: 'poisoned', poison: (e) => broken && (e.payload as { prompt?: string }).prompt === 'poison' });
    await createAppender(db.sql, { clock }).append([hookEvent({ payload: { prompt: 'poison' } })]);
    const projector = await startProjector(db.sql, { projections: [projection], pollMs: 50 });
    await projector.settled();

    expect(await alerts.evaluate()).toMatchObject([{ id: 'projection-parked:poisoned', level: 'warning', details: { parked: 1 } }]);
    expect((await health()).checks.alerts).toMatchObject([{ id: 'projection-parked:poisoned', level: 'warning' }]);
    expect(lines).toMatchObject([{ level: 'warn', msg: 'alert raised', alert: 'projection-parked:poisoned' }]);
    // Still parked: no second line.
    await alerts.evaluate();
    expect(lines).toHaveLength(1);

    broken = false;
    const [parked] = await db.sql<{ id: number }[]>`select id from arrakis.projection_parked where name = 'poisoned' and resolved_at is null`;
    await requestRetry(db.sql, 'poisoned', parked!.id, testActor);
    await projector.settled();
    await projector.stop();
    expect(await alerts.evaluate()).toEqual([]);
    expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'alert cleared', alert: 'projection-parked:poisoned', message: 'projection poisoned has no parked events left' });
    expect((await health()).checks.alerts).toEqual([]);
  });

  it('raise a warning for a projection further behind than the threshold', async () => {
    const { alerts, lines, clock } = setup({ rules: [projectionsRule(db.sql, { lagAbove: 2 })] });
    const projector = await startProjector(db.sql, { projections: [counterProjection({ name: 'laggard' })], pollMs: 50 });
    await projector.settled();
    await projector.stop();
    const appender = createAppender(db.sql, { clock });
    await appender.append([hookEvent(), hookEvent()]);
    expect(await alerts.evaluate()).toEqual([]);
    await appender.append([hookEvent()]);
    expect(await alerts.evaluate()).toContainEqual(expect.objectContaining({ id: 'projection-lag:laggard', level: 'warning', details: { projection: 'laggard', lag: 3 } }));
    expect(raised(lines)).toContainEqual(['warn', 'projection-lag:laggard']);
  });
});

describe('the database', () => {
  it('is a critical alert when unreachable, and makes /api/health unhealthy with the alert listed', async () => {
    const down = connect('postgres://nobody@127.0.0.1:9/none', { max: 1 });
    const { alerts, lines, app } = setup({ sql: down });
    expect(await alerts.evaluate()).toMatchObject([{ id: 'database-unreachable', level: 'critical', message: expect.stringMatching(/database unreachable/) }]);
    expect(lines.filter((l) => l.msg === 'alert raised')).toMatchObject([{ level: 'error', alert: 'database-unreachable', severity: 'critical' }]);
    const res = await app.request('/api/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unhealthy', checks: { alerts: [{ id: 'database-unreachable', level: 'critical' }] } });
    await down.end();
  });

  it('leaves the alerts of rules that cannot look as they were, and logs its recovery at info', async () => {
    const down = connect('postgres://nobody@127.0.0.1:9/none', { max: 1 });
    let current = db.sql;
    // The same rules, pointed at the database the test chooses for each pass.
    const via = (make: (sql: Sql) => Rule): Rule => ({ name: make(db.sql).name, check: (now) => make(current).check(now) });
    const { alerts, lines, clock } = setup({ rules: [via(databaseRule), via((sql) => projectionsRule(sql, { lagAbove: 0 }))] });
    const projector = await startProjector(db.sql, { projections: [counterProjection({ name: 'stale' })], pollMs: 50 });
    await projector.settled();
    await projector.stop();
    await createAppender(db.sql, { clock }).append([hookEvent()]);
    const lagging = await alerts.evaluate();
    expect(lagging.map((a) => a.id)).toContain('projection-lag:stale');

    current = down;
    expect(await alerts.evaluate()).toEqual([expect.objectContaining({ id: 'database-unreachable', level: 'critical' }), ...lagging]);
    await alerts.evaluate();
    current = db.sql;
    expect(await alerts.evaluate()).toEqual(lagging);
    expect(cleared(lines)).toEqual([['info', 'database-unreachable']]);
    expect(lines.find((l) => l.msg === 'alert cleared')).toMatchObject({ message: 'database reachable again', was: 'critical' });
    // Two passes without the database, one line each way for the rule that needs it.
    expect(lines.filter((l) => l.msg.startsWith('alert rule')).map((l) => [l.level, l.msg, l.rule])).toEqual([
      ['warn', 'alert rule cannot check', 'projections'],
      ['info', 'alert rule checks again', 'projections'],
    ]);
    await down.end();
  });
});

describe('ingest silence', () => {
  it('warns when nothing arrived for 30 minutes while a conversation is active, not about abandoned ones', async () => {
    const { alerts, lines, clock, advance } = setup({ rules: [silenceRule(db.sql)] });
    const sessionId = randomUUID();
    const appender = createAppender(db.sql, { clock });
    await appender.append(turnEvents(sessionId, 1, clock()));
    const projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
    await projector.settled();
    await projector.stop();

    advance(30);
    expect(await alerts.evaluate()).toEqual([]);
    advance(1);
    // Earlier tests' sessions are active too (none of them ended), so the count is at least ours.
    const [silent] = await alerts.evaluate();
    expect(silent).toMatchObject({ id: 'ingest-silence', level: 'warning', message: expect.stringMatching(/^no event appended for 31 minutes/) });
    expect(silent!.details!.activeConversations).toBeGreaterThanOrEqual(1);
    advance(1);
    await appender.append(turnEvents(sessionId, 2, clock()));
    expect(await alerts.evaluate()).toEqual([]);
    expect(cleared(lines)).toEqual([['info', 'ingest-silence']]);

    // A conversation left without SessionEnd for half a day is abandoned, not a sign of lost events.
    advance(13 * 60);
    expect(await alerts.evaluate()).toEqual([]);
    expect(raised(lines)).toEqual([['warn', 'ingest-silence']]);
  });
});

/** A real HTTP receiver for the webhook; `answer` decides what each request gets. */
async function receiver(answer: (res: ServerResponse) => void) {
  const received: AlertNotice[] = [];
  const waiting: Array<() => void> = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      expect(req.headers['content-type']).toBe('application/json');
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlertNotice);
      waiting.splice(0).forEach((wake) => wake());
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const count = async (n: number) => {
    while (received.length < n) await new Promise<void>((wake) => waiting.push(wake));
  };
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url, received, count, close };
}

describe('the alert webhook', () => {
  let refused = 0;
  const rules = [ingestFailuresRule({ refusedTotal: async () => refused, warnAbove: 0 })];

  it('receives each raise and clear as JSON', async () => {
    const hook = await receiver((res) => res.writeHead(204).end());
    const { alerts } = setup({ rules, webhookUrl: hook.url });
    refused = 1;
    await alerts.evaluate();
    refused = 0;
    await alerts.evaluate();
    await hook.count(2);
    expect(hook.received).toEqual([
      { source: 'arrakis', state: 'raised', id: 'ingest-failures', level: 'warning', message: '1 ingest requests refused or failed in the last hour', since: '2026-11-25T12:00:00.000Z', at: '2026-11-25T12:00:00.000Z', details: { count: 1 } },
      expect.objectContaining({ state: 'cleared', id: 'ingest-failures', level: 'info', message: expect.stringMatching(/ingest recovered/) }),
    ]);
    await alerts.stop();
    await hook.close();
  });

  it('answering 500 is logged and evaluation goes on', async () => {
    const hook = await receiver((res) => res.writeHead(500).end('nope'));
    const { alerts, next } = setup({ rules, webhookUrl: hook.url });
    refused = 1;
    const failed = next('alert webhook failed');
    expect(await alerts.evaluate()).toHaveLength(1);
    expect(await failed).toMatchObject({ level: 'warn', alert: 'ingest-failures', status: 500 });
    refused = 0;
    expect(await alerts.evaluate()).toEqual([]);
    await hook.count(2);
    await alerts.stop();
    await hook.close();
  });

  it('hanging does not hold up evaluation, and stop() gives up on it', async () => {
    const hook = await receiver(() => {});
    const { alerts, lines } = setup({ rules, webhookUrl: hook.url, webhookTimeoutMs: 600_000 });
    refused = 1;
    expect(await alerts.evaluate()).toHaveLength(1);
    await hook.count(1);
    // The receiver holds the raise unanswered, and the clear is evaluated and logged regardless.
    refused = 0;
    expect(await alerts.evaluate()).toEqual([]);
    expect(cleared(lines)).toEqual([['info', 'ingest-failures']]);
    expect(lines.filter((l) => l.msg === 'alert webhook failed')).toEqual([]);
    await alerts.stop();
    expect(lines.filter((l) => l.msg === 'alert webhook failed')).toMatchObject([{ state: 'raised' }, { state: 'cleared' }]);
    await hook.close();
  });

  it('hanging times out with a log line', async () => {
    const hook = await receiver(() => {});
    const { alerts, next } = setup({ rules, webhookUrl: hook.url, webhookTimeoutMs: 50 });
    refused = 1;
    const timedOut = next('alert webhook failed');
    await alerts.evaluate();
    expect(await timedOut).toMatchObject({ level: 'warn', alert: 'ingest-failures', state: 'raised', error: expect.stringMatching(/timeout/i) });
    await alerts.stop();
    await hook.close();
  });
});
