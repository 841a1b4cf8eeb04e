import { describe, expect, it } from 'vitest';
import { createMinuteCounts } from './minute-counts.js';

describe('createMinuteCounts', () => {
  it('counts per minute, reads empty minutes as 0, and forgets a minute once its slot comes round again', () => {
    let now = new Date('2026-11-25T10:00:30Z');
    const counts = createMinuteCounts({ keep: 3, clock: () => now });
    counts.add();
    counts.add(2);
    now = new Date('2026-11-25T10:02:59Z');
    counts.add();
    expect(counts.last(3)).toEqual([
      { at: '2026-11-25T10:00:00.000Z', count: 3 },
      { at: '2026-11-25T10:01:00.000Z', count: 0 },
      { at: '2026-11-25T10:02:00.000Z', count: 1 },
    ]);
    // 10:03 takes 10:00's slot: its count starts afresh instead of adding to 10:00's.
    now = new Date('2026-11-25T10:03:00Z');
    counts.add();
    expect(counts.last(5).map((m) => m.count)).toEqual([0, 1, 1]);
    // A slot last written laps ago reads as 0, not as its stale count.
    now = new Date('2026-11-25T10:30:00Z');
    expect(counts.last(3).map((m) => m.count)).toEqual([0, 0, 0]);
    expect(counts.since).toEqual(new Date('2026-11-25T10:00:30Z'));
  });
});
