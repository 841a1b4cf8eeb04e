import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppender } from '../../core/group-commit.js';
import { projectRoot } from '../../core/paths.js';
import { counterProjection, type Counted } from '../../test/support/counter-projection.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { hookEvent } from '../../test/support/events.js';
import { checkProjections } from '../../cli/doctor-checks.js';
import { allProjections } from '../index.js';
import type { DocProjection } from '../projection.js';
import { dealPartition } from './partition-share.js';
import { START, untilReadable } from '../../core/event-store.js';
import { readAfter } from '../../core/read-after.js';
import { readPartitionHeld } from './partition-read.js';
import { assertPartitionable, configurePartitions, partitionOf, partitionOverrides, sessionHash, sqlPartitionOf } from './partitions.js';
import { startProjector } from './projector.js';
import { requestRebuild } from './registry.js';
import { projectionStatus } from './status.js';
import { createTable } from './tables.js';
import { usage } from '../usage/index.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const sessions = Array.from({ length: 12 }, (_, i) => `s${i}-${randomUUID()}`);
const append = (perSession: number) =>
  Promise.all(sessions.flatMap((sessionId) => Array.from({ length: perSession }, () => createAppender(db.sql).append([hookEvent({ sessionId })]))));

const docs = async (view: string) =>
  Object.fromEntries((await db.sql<{ key: string; doc: Counted }[]>`select key, doc from ${db.sql(view)} order by key`).map((r) => [r.key, r.doc]));

function expectEachOnce(all: Record<string, Counted>, count: number) {
  for (const session of sessions) {
    const doc = all[session]!;
    expect(doc.count).toBe(count);
    expect(new Set(doc.positions).size).toBe(count);
  }
}

const checkpoints = (name: string) =>
  db.sql<{ generation: number; partition: number; partitions: number; owner: string | null; position: number }[]>`
    select c.generation, c.partition, c.partitions, c.owner, c.position from arrakis.projection_checkpoints c
      join arrakis.projections p on p.name = c.name and p.active_generation = c.generation
     where c.name = ${name} order by c.partition`;

function spawnChild(name: string, partitions: number, owner: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/support/projector-child.ts'), db.url, name, String(partitions), owner], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child)));
}

const killed = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));

describe('partitions by session', () => {
  it('hashes a session the same way everywhere and spreads sessions over the partitions', () => {
    expect(sessionHash('session-a')).toBe(3_553_347_780);
    expect(partitionOf('anything', 1)).toBe(0);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[partitionOf(randomUUID(), 4)]!++;
    for (const count of counts) expect(count).toBeGreaterThan(800);
    // Two processes are dealt two of four partitions each.
    const dealt = [0, 1, 2, 3].map((p) => dealPartition(['a', 'b'], 'messages', 3, p));
    expect(dealt.filter((o) => o === 'a')).toHaveLength(2);
  });

  it('computes the same partition in SQL, whose partition read leaves the other sessions\' payloads out', async () => {
    const ids = Array.from({ length: 200 }, () => randomUUID());
    const rows = await db.sql<{ id: string; p: number }[]>`select id, ${sqlPartitionOf(db.sql, db.sql`id`, 4)} as p from unnest(${ids}::text[]) id`;
    for (const { id, p } of rows) expect(p).toBe(partitionOf(id, 4));
    const others = Array.from({ length: 20 }, () => `other-${randomUUID()}`);
    const [mine, theirs] = [others.find((s) => partitionOf(s, 2) === 0)!, others.find((s) => partitionOf(s, 2) === 1)!];
    await createAppender(db.sql).append([hookEvent({ sessionId: mine })]);
    await createAppender(db.sql).append([hookEvent({ sessionId: theirs })]);
    await untilReadable(db.sql);
    const { events } = await readPartitionHeld(db.sql, START, 10, { partition: 0, partitions: 2 });
    const whole = await readAfter(db.sql, START, 10);
    expect(events.map((e) => [e.position, e.transactionId, e.sessionId, e.type])).toEqual(whole.map((e) => [e.position, e.transactionId, e.sessionId, e.type]));
    expect(events.find((e) => e.sessionId === mine)!.payload).toEqual(whole.find((e) => e.sessionId === mine)!.payload);
    expect(events.find((e) => e.sessionId === theirs)!.payload).toBeNull();
  });

  it('is configured per projection and through ARRAKIS_PARTITIONS, and refused for a projection whose keys are not per session', () => {
    const names = allProjections.map((p) => p.name);
    expect([...partitionOverrides('messages=4, sidechains=2', names)]).toEqual([['messages', 4], ['sidechains', 2]]);
    expect(partitionOverrides('', names).size).toBe(0);
    expect(() => partitionOverrides('messages:4', names)).toThrow(/ARRAKIS_PARTITIONS=messages:4: each entry is NAME=K/);
    expect(() => partitionOverrides('nosuch=2', names)).toThrow(/names no projection nosuch/);
    const configured = configurePartitions(allProjections, { ARRAKIS_PARTITIONS: 'messages=4' });
    expect(configured.find((p) => p.name === 'messages')!.partitions).toBe(4);
    expect(configured.find((p) => p.name === 'usage')!.partitions).toBeUndefined();
    expect(() => configurePartitions(allProjections, { ARRAKIS_PARTITIONS: 'usage=2' })).toThrow(/usage cannot be split into 2 partitions.*perSessionKeys: true/);
    expect(() => assertPartitionable({ ...counterProjection(), partitions: 0 })).toThrow(/whole number from 1 to 64/);
    expect(() => assertPartitionable({ ...counterProjection(), partitions: 65 })).toThrow(/whole number/);
    expect(() => assertPartitionable(counterProjection({ partitions: 8 }))).not.toThrow();
  });

  it('refuses at startup to split a projection that does not declare per-session keys, registering nothing', async () => {
    const { perSessionKeys: _, ...global } = counterProjection({ name: 'global', partitions: 2 });
    await expect(startProjector(db.sql, { projections: [global as DocProjection<object>] })).rejects.toThrow(/global cannot be split into 2 partitions/);
    expect(await db.sql`select 1 from arrakis.projections where name = 'global'`).toHaveLength(0);
  });

  it('in one process, folds K = 4 as K lanes with a checkpoint each, equal to K = 1; status shows each partition and the largest lag', async () => {
    await append(10);
    const single = counterProjection({ name: 'single' });
    const lanes = counterProjection({ name: 'lanes', partitions: 4 });
    const projector = await startProjector(db.sql, { projections: [single, lanes], batchSize: 7, pollMs: 50 });
    await append(5);
    await projector.settled();
    expectEachOnce(await docs('arrakis.proj_single'), 15);
    expect(await docs('arrakis.proj_lanes')).toEqual(await docs('arrakis.proj_single'));
    const rows = await checkpoints('lanes');
    expect(rows.map((r) => [r.partition, r.partitions])).toEqual([[0, 4], [1, 4], [2, 4], [3, 4]]);
    await projector.stop();

    const status = (await projectionStatus(db.sql)).find((s) => s.name === 'lanes')!;
    expect(status.partitions.map((p) => p.partition)).toEqual([0, 1, 2, 3]);
    expect(status.lag).toBe(0);
    expect((await projectionStatus(db.sql)).find((s) => s.name === 'single')!.partitions).toHaveLength(1);
    // Partition 2 falls behind: the projection's lag is its slowest partition's.
    await db.sql`update arrakis.projection_checkpoints set transaction_id = '0', position = 0 where name = 'lanes' and partition = 2`;
    const behind = (await projectionStatus(db.sql)).find((s) => s.name === 'lanes')!;
    expect(behind.partitions[2]!.lag).toBeGreaterThan(0);
    expect(behind.lag).toBe(behind.partitions[2]!.lag);
    expect(behind.position).toBe(0);
    const finding = (await checkProjections(db.sql)).find((f) => f.check === 'projection lanes')!;
    expect(finding.detail).toMatch(/4 partitions: #0 at \d+ lag 0.*#2 at 0 lag \d+/);
  });

  it('two processes with K = 4 share the partitions and apply every event once, equal to K = 1, also after one is SIGKILLed mid-run', async () => {
    const single = counterProjection({ name: 'single' });
    const reference = await startProjector(db.sql, { projections: [single], pollMs: 50 });
    const a = await spawnChild('parted', 4, 'child-a');
    const b = await spawnChild('parted', 4, 'child-b');
    try {
      // Both hold partitions: the four are dealt two and two.
      await expect.poll(async () => new Set((await checkpoints('parted')).map((r) => r.owner)), { timeout: 15_000, interval: 50 }).toEqual(new Set(['child-a', 'child-b']));
      const writing = append(20);
      await sleep(100);
      a.kill('SIGKILL');
      await writing;
      await killed(a);
      // child-a's leases and its process row lapse (1 s); child-b takes its partitions over.
      await expect.poll(async () => (await checkpoints('parted')).every((r) => r.owner === 'child-b'), { timeout: 15_000, interval: 100 }).toBe(true);
      await reference.settled();
      const expected = await docs('arrakis.proj_single');
      expectEachOnce(expected, 35);
      await expect.poll(() => docs('arrakis.proj_parted'), { timeout: 15_000, interval: 100 }).toEqual(expected);

      // A rebuild runs in partitions too, shared by both processes, and equals the incremental result.
      const c = await spawnChild('parted', 4, 'child-c');
      try {
        const generation = await requestRebuild(db.sql, counterProjection({ name: 'parted', partitions: 4 }));
        await expect
          .poll(async () => (await db.sql`select active_generation from arrakis.projections where name = 'parted'`)[0]!.active_generation, { timeout: 20_000, interval: 100 })
          .toBe(generation);
        const rebuilt = await checkpoints('parted');
        expect(rebuilt.map((r) => r.partitions)).toEqual([4, 4, 4, 4]);
        await expect.poll(() => docs('arrakis.proj_parted'), { timeout: 15_000, interval: 100 }).toEqual(expected);
      } finally {
        c.kill('SIGKILL');
        await killed(c);
      }
    } finally {
      a.kill('SIGKILL');
      b.kill('SIGKILL');
      await Promise.all([killed(a), killed(b)]);
      await reference.stop();
    }
  });

  it('a rebuild into K = 4 partitions equals the K = 1 generation it replaces, document for document', async () => {
    const one = counterProjection({ name: 'regrow' });
    const first = await startProjector(db.sql, { projections: [one], pollMs: 50 });
    await first.settled();
    const before = await docs('arrakis.proj_regrow');
    expectEachOnce(before, 35);
    await first.stop();
    const four = counterProjection({ name: 'regrow', partitions: 4 });
    const second = await startProjector(db.sql, { projections: [four], pollMs: 50, batchSize: 13 });
    // A new count waits for a rebuild: the serving generation keeps its one partition.
    expect((await checkpoints('regrow')).map((r) => r.partitions)).toEqual([1]);
    const generation = await requestRebuild(db.sql, four);
    await second.settled();
    await second.settled();
    const rows = await checkpoints('regrow');
    expect(rows.map((r) => [r.generation, r.partition])).toEqual([0, 1, 2, 3].map((p) => [generation, p]));
    expect(await docs('arrakis.proj_regrow')).toEqual(before);
    await second.stop();
  });

  it('the usage rollups lose no addition and do not deadlock when two writers upsert the same buckets at once', async () => {
    await createTable(db.sql, usage as DocProjection<object>, 90);
    const table = 'arrakis.proj_usage_g90';
    const doc = (id: string, hour: number, model: string) => ({
      messageId: id, sessionId: `sess-${id}`, model, at: new Date(Date.UTC(2026, 10, 1, hour)).toISOString(), cwd: '/w', project: 'p', host: 'h',
      tokens: { input: 1, output: 2, cacheCreation: 0, cacheCreation5m: 0, cacheCreation1h: 0, cacheRead: 0 }, costUsd: 0.5, priced: 'exact', cacheSavingsUsd: 0, position: 1, firstPosition: 1,
    });
    const models = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'];
    // Each writer's rows cover every bucket, in opposite orders, as one statement (as a commit is).
    const write = (writer: string, round: number, reverse: boolean) => {
      const buckets = models.flatMap((model) => [0, 1, 2].map((hour) => [model, hour] as const));
      const rows = (reverse ? buckets.reverse() : buckets).map(([model, hour], i) => {
        const id = `${writer}-${round}-${i}`;
        const d = doc(id, hour, model);
        return { key: `response:${id}`, session_id: d.sessionId, at: d.at, seq: 1, doc: d, first_position: 1, last_position: 1 };
      });
      return db.sql`insert into ${db.sql(table)} ${db.sql(rows)}`;
    };
    for (let round = 0; round < 15; round++) await Promise.all([write('a', round, false), write('b', round, true)]);
    const [sums] = await db.sql<{ responses: number; input: number; cost: string }[]>`
      select sum(responses)::int as responses, sum(input)::int as input, sum(cost)::text as cost from ${db.sql(`${table}__hourly`)}`;
    expect(sums).toEqual({ responses: 15 * 2 * 18, input: 15 * 2 * 18, cost: String(15 * 2 * 18 * 0.5) + '.0' });
    const buckets = await db.sql<{ responses: number }[]>`select responses from ${db.sql(`${table}__hourly`)}`;
    expect(buckets).toHaveLength(18);
    expect(buckets.every((b) => b.responses === 30)).toBe(true);
  });
});
