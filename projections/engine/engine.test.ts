import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../../core/group-commit.js';
import { projectRoot } from '../../core/paths.js';
import { counterProjection, type Counted } from '../../test/support/counter-projection.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { hookEvent } from '../../test/support/events.js';
import { testApp, testKeys } from '../../test/support/app.js';
import { startProjector } from './projector.js';
import { requestRebuild } from './registry.js';
import { createTable, pointView } from './tables.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const append = (sessions: string[], perSession: number) =>
  Promise.all(sessions.flatMap((sessionId) => Array.from({ length: perSession }, () => createAppender(db.sql).append([hookEvent({ sessionId })]))));

const docs = async (table: string) =>
  Object.fromEntries((await db.sql<{ key: string; doc: Counted }[]>`select key, doc from ${db.sql(table)} order by key`).map((r) => [r.key, r.doc]));

function expectEachOnce(all: Record<string, Counted>, expected: Record<string, number>) {
  for (const [key, count] of Object.entries(expected)) {
    expect(all[key]!.count).toBe(count);
    expect(new Set(all[key]!.positions).size).toBe(count);
  }
}

describe('the projection engine', () => {
  it('maintained incrementally while events arrive, equals the same projection rebuilt from scratch', async () => {
    const projection = counterProjection({ name: 'incremental' });
    const projector = await startProjector(db.sql, { projections: [projection], batchSize: 7, pollMs: 50 });
    for (let wave = 0; wave < 5; wave++) await append(['a', 'b', 'c'], 4);
    await projector.settled();
    const before = await docs('arrakis.proj_incremental');
    expectEachOnce(before, { a: 20, b: 20, c: 20 });
    const generation = await requestRebuild(db.sql, projection);
    await projector.settled();
    await projector.settled();
    const [registry] = await db.sql`select active_generation from arrakis.projections where name = 'incremental'`;
    expect(registry!.active_generation).toBe(generation);
    expect(await docs(`arrakis.proj_incremental_g${generation}`)).toEqual(before);
    expect(await docs('arrakis.proj_incremental')).toEqual(before);
    await projector.stop();
  });

  it('applies an event an older open transaction held back once that ends, though nothing notifies and the safety poll is an hour away', async () => {
    const projector = await startProjector(db.sql, { projections: [counterProjection({ name: 'held' })], pollMs: 3_600_000 });
    await projector.settled();
    const holder = await db.sql.reserve();
    // Any transaction with an id, on any database of the cluster, holds back the later ones.
    await holder`begin`;
    await holder`select pg_current_xact_id()`;
    await append(['h'], 1);
    await sleep(200);
    expect((await docs('arrakis.proj_held')).h).toBeUndefined();
    await holder`commit`;
    holder.release();
    await expect.poll(async () => (await docs('arrakis.proj_held')).h?.count, { timeout: 10_000 }).toBe(1);
    await projector.stop();
  });

  it('parks a poison event, goes on with the ones after it, and applies it on retry once fixed', async () => {
    let broken = true;
    const projection = counterProjection({ name: 'poisoned', poison: (e) => broken && (e.payload as { prompt?: string }).prompt === 'poison' });
    await append(['p'], 5);
    await createAppender(db.sql).append([hookEvent({ sessionId: 'p', payload: { prompt: 'poison' } })]);
    await append(['p'], 5);
    const projector = await startProjector(db.sql, { projections: [projection], batchSize: 100, pollMs: 50 });
    await projector.settled();
    expect((await docs('arrakis.proj_poisoned')).p!.count).toBe(10);
    const parked = await db.sql<{ id: number; error: string }[]>`select id, error from arrakis.projection_parked where name = 'poisoned' and resolved_at is null`;
    expect(parked).toHaveLength(1);
    expect(parked[0]!.error).toMatch(/poison event/);
    broken = false;
    const retry = (key: string, id = parked[0]!.id) =>
      testApp(db.sql).request(`/api/projections/poisoned/parked/${id}/retry`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
    expect((await retry(testKeys.read)).status).toBe(403);
    expect((await retry(testKeys.admin, 999_999)).status).toBe(404);
    expect((await retry(testKeys.admin)).status).toBe(202);
    await projector.settled();
    expect((await docs('arrakis.proj_poisoned')).p!.count).toBe(11);
    const [row] = await db.sql`select resolved_at from arrakis.projection_parked where id = ${parked[0]!.id}`;
    expect(row!.resolved_at).not.toBeNull();
    await projector.stop();
  });

  it('retries a failure that is not the event\'s fault (its table vanished) without parking anything, and recovers', async () => {
    const projection = counterProjection({ name: 'fragile' });
    await append(['f'], 3);
    const projector = await startProjector(db.sql, { projections: [projection], pollMs: 50 });
    await projector.settled();
    await db.sql.unsafe('drop table arrakis.proj_fragile_g1 cascade');
    await append(['f'], 2);
    await projector.settled();
    const [failing] = await db.sql`select status, last_error from arrakis.projection_checkpoints where name = 'fragile'`;
    expect(failing).toMatchObject({ status: 'retrying', last_error: expect.stringMatching(/proj_fragile_g1/) });
    await createTable(db.sql, projection, 1);
    await pointView(db.sql, 'fragile', 1);
    await projector.settled();
    // The three events applied before the table vanished are gone with it; the two after it were kept back, not skipped.
    expectEachOnce(await docs('arrakis.proj_fragile'), { f: 2 });
    const [recovered] = await db.sql`select status from arrakis.projection_checkpoints where name = 'fragile'`;
    expect(recovered!.status).toBe('running');
    expect(await db.sql`select id from arrakis.projection_parked where name = 'fragile'`).toHaveLength(0);
    await projector.stop();
  });

  it('resumes a rebuild from its checkpoint after the process building it was SIGKILLed', async () => {
    const projection = counterProjection({ name: 'resumable' });
    await append(['r1', 'r2'], 300);
    const first = await startProjector(db.sql, { projections: [projection], pollMs: 50 });
    await first.settled();
    await first.stop();
    const incremental = await docs('arrakis.proj_resumable');
    const generation = await requestRebuild(db.sql, projection);
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/support/projector-child.ts'), db.url, 'resumable'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const progress = async () => {
      const [row] = await db.sql<{ position: number }[]>`select position from arrakis.projection_checkpoints where name = 'resumable' and generation = ${generation}`;
      return row!.position;
    };
    await expect.poll(progress, { timeout: 20_000, interval: 5 }).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await progress()).toBeGreaterThan(0);
    expect(await requestRebuild(db.sql, projection, { resume: true })).toBe(generation);
    await sleep(1100); // the child's lease lapses
    const second = await startProjector(db.sql, { projections: [projection], pollMs: 50, leaseMs: 1000 });
    await second.settled();
    await second.settled();
    const [registry] = await db.sql`select active_generation from arrakis.projections where name = 'resumable'`;
    expect(registry!.active_generation).toBe(generation);
    expect(await docs('arrakis.proj_resumable')).toEqual(incremental);
    expectEachOnce(incremental, { r1: 300, r2: 300 });
    await second.stop();
  });

  it('with two projectors at once, applies each event once; when one is SIGKILLed mid-batch the other takes over', async () => {
    await append(['x', 'y', 'z', 'w'], 150);
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/support/projector-child.ts'), db.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
    const projector = await startProjector(db.sql, { projections: [counterProjection()], batchSize: 20, leaseMs: 1000, pollMs: 100, owner: 'test' });
    const writing = append(['x', 'y', 'z', 'w'], 50);
    await sleep(150);
    child.kill('SIGKILL');
    await writing;
    await sleep(1500); // the child's lease lapses
    await projector.settled();
    await projector.settled();
    expectEachOnce(await docs('arrakis.proj_counter'), { x: 200, y: 200, z: 200, w: 200 });
    const [slot] = await db.sql`select owner from arrakis.projection_checkpoints where name = 'counter'`;
    expect(slot!.owner).toBe('test');
    await projector.stop();
  });
});
