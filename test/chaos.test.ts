import { describe, expect, it } from 'vitest';
import { runChaos } from '../chaos/chaos.js';
import { tallyHookEvents } from '../chaos/checks.js';
import { createAppender } from '../core/group-commit.js';
import { createTestDatabase } from './support/database.js';
import { hookEvent } from './support/events.js';

/**
 * `npm run chaos` at CI size: 300 real hook invocations while the server and the projector are
 * SIGKILLed once each and Postgres crashes once (a cluster of its own, so the shared one is left
 * alone). The server and projector run from the sources, so this tests the tree, built or not.
 */
describe('chaos', () => {
  it('counts an event missing from the log as lost and one stored under two requestIds as duplicated', async () => {
    const db = await createTestDatabase();
    try {
      const marked = (seq: number) => hookEvent({ event: 'Stop', payload: { hook_event_name: 'Stop', chaos_seq: seq } });
      await createAppender(db.sql).append([marked(0), marked(0), marked(2)]);
      expect(await tallyHookEvents(db.sql, 3)).toMatchObject({ expected: 3, stored: 2, lost: 1, duplicated: 1, unexpected: 0, samples: ['lost 1', '0 stored 2 times'] });
    } finally {
      await db.drop();
    }
  });

  it('loses and duplicates nothing through a server kill, a projector kill and a Postgres crash, and every projection equals its rebuild', async () => {
    const report = await runChaos({
      invocations: 300,
      workers: 6,
      machines: 3,
      serverKills: 1,
      projectorKills: 1,
      postgresRestarts: 1,
      flusherIdleMs: 10_000,
      fromSource: true,
    });
    expect(report.faults.map((f) => f.kind).sort()).toEqual(['postgres', 'projector', 'server']);
    expect(report.load.invocations).toBe(300);
    expect(report.hookEvents).toMatchObject({ expected: 300, stored: 300, lost: 0, duplicated: 0, unexpected: 0 });
    expect(report.transcriptLines.expected).toBeGreaterThan(0);
    expect(report.transcriptLines).toMatchObject({ stored: report.transcriptLines.expected, lost: 0, duplicated: 0, unexpected: 0 });
    expect(report.spool).toEqual({ waiting: 0, deadLetters: 0 });
    expect(report.projections.length).toBeGreaterThanOrEqual(4);
    for (const p of report.projections) {
      // The chaos sessions are of today's Claude Code: nothing of 1.0.x for these two to hold.
      if (!['sidechains', 'summaries'].includes(p.name)) expect(p.rows, p.name).toBeGreaterThan(0);
      expect({ name: p.name, missing: p.missing, extra: p.extra, samples: p.samples }).toEqual({ name: p.name, missing: 0, extra: 0, samples: [] });
    }
    expect(report.problems).toEqual([]);
  }, 600_000);
});
