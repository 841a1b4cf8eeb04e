import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEvent, REBUILD_REQUESTED, type Actor } from '../../core/admin-events.js';
import { contentHash } from '../../core/canonical.js';
import { appendEvents, untilReadable } from '../../core/event-store.js';
import { createLogger } from '../../core/log.js';
import { counterProjection } from '../../test/support/counter-projection.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { startControl } from './control.js';
import { ensureProjection } from './registry.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const actor: Actor = { by: { scope: 'admin', via: 'key', fingerprint: '0123abcd' }, requestId: 'req-control' };


const ask = async (projection: string, resume = false) => {
  const outcome = await appendEvents(db.sql, [adminEvent(REBUILD_REQUESTED, { projection, resume, ...actor })], new Date());
  await untilReadable(db.sql);
  return outcome;
};

/** A projector's control, started the way startProjector starts it: before registering. */
async function control(name: string, { version = 1, logs = [] as Array<Record<string, unknown>> } = {}) {
  const projection = counterProjection({ name, version });
  const logger = createLogger({ write: (line) => logs.push(JSON.parse(line)) });
  const started = await startControl(db.sql, { projections: [projection], logger });
  await ensureProjection(db.sql, projection);
  return started;
}

const generations = async (name: string) =>
  (await db.sql<{ generation: number }[]>`select generation from arrakis.projection_checkpoints where name = ${name} order by generation`).map((r) => r.generation);

describe('rebuild requests read from the log', () => {
  it('are acted on once when two projectors read the same request at the same time', async () => {
    const [first, second] = [await control('raced'), await control('raced')];
    await ask('raced');
    const started = await Promise.all([first.poll(), second.poll()]);
    expect(started[0]! + started[1]!).toBe(1);
    expect(await generations('raced')).toEqual([1, 2]);
    expect(await Promise.all([first.poll(), second.poll()])).toEqual([0, 0]);
  });

  it('start at the head of the log: a request older than the control checkpoint is not replayed', async () => {
    await ask('late');
    const late = await control('late');
    expect(await late.poll()).toBe(0);
    expect(await generations('late')).toEqual([1]);
    await ask('late');
    expect(await late.poll()).toBe(1);
    expect(await generations('late')).toEqual([1, 2]);
  });

  it('read together make one rebuild, resuming one under way only when every request asks to resume', async () => {
    const batched = await control('batched');
    await ask('batched', true);
    await ask('batched');
    expect(await batched.poll()).toBe(1);
    expect(await generations('batched')).toEqual([1, 2]);
    await ask('batched', true);
    await ask('batched', true);
    await batched.poll();
    expect(await generations('batched')).toEqual([1, 2]);
    expect(await batched.poll()).toBe(0);
  });

  it('are read only by projectors running that projection', async () => {
    const mine = await control('mine');
    const theirs = await control('theirs');
    await ask('theirs');
    expect(await mine.poll()).toBe(0);
    expect(await generations('theirs')).toEqual([1]);
    expect(await theirs.poll()).toBe(1);
    expect(await generations('theirs')).toEqual([1, 2]);
  });

  it('are left to a projector running a newer version of the projection', async () => {
    const logs: Array<Record<string, unknown>> = [];
    const older = await control('upgraded', { logs });
    const newer = await control('upgraded', { version: 2 });
    const versions = () => db.sql`select generation, code_version from arrakis.projection_checkpoints where name = 'upgraded' order by generation`;
    expect(await versions()).toEqual([{ generation: 1, code_version: 1 }, { generation: 2, code_version: 2 }]);
    await ask('upgraded');
    expect(await older.poll()).toBe(0);
    expect(await older.poll()).toBe(0);
    expect(logs.filter((l) => l.msg === 'left a rebuild request to a projector with newer code')).toHaveLength(1);
    // Acting, the older code would have replaced the newer one's generation with one of its own.
    expect(await versions()).toEqual([{ generation: 1, code_version: 1 }, { generation: 2, code_version: 2 }]);
    expect(await newer.poll()).toBe(1);
    expect(await versions()).toEqual([{ generation: 1, code_version: 1 }, { generation: 2, code_version: 2 }]);
    expect(await newer.poll()).toBe(0);
  });

  it('skips a malformed request, with a warning, and acts on the next one', async () => {
    const logs: Array<Record<string, unknown>> = [];
    const strict = await control('strict', { logs });
    const payload = { projection: 'strict' };
    const capturedAt = new Date().toISOString();
    const [malformed] = await appendEvents(db.sql, [{
      requestId: 'admin_malformed_request', contentHash: contentHash(payload), type: REBUILD_REQUESTED, sessionId: 'arrakis',
      capturedAt, client: null, payload, payloadJson: null,
    }], new Date());
    await untilReadable(db.sql);
    expect(await strict.poll()).toBe(0);
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'ignored a malformed rebuild request', position: malformed!.position }));
    expect(await generations('strict')).toEqual([1]);
    await ask('strict');
    expect(await strict.poll()).toBe(1);
    expect(await generations('strict')).toEqual([1, 2]);
  });
});
