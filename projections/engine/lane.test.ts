import { describe, expect, it } from 'vitest';
import { createLane } from './lane.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('a lane', () => {
  it('given kicks during a run, runs once more after it, not once per kick', async () => {
    let runs = 0;
    let release!: () => void;
    const lane = createLane(async () => {
      runs++;
      await new Promise<void>((resolve) => (release = resolve));
    }, { backoff: () => 0, onError: () => {} });
    const first = lane.kick();
    await tick();
    const later = [lane.kick(), lane.kick(), lane.kick()];
    release();
    await first;
    await tick();
    expect(runs).toBe(2);
    release();
    await Promise.all(later);
    expect(runs).toBe(2);
  });

  it('given a failure, waits out the backoff before the next run, however often it is kicked', async () => {
    let clock = 0;
    const errors: number[] = [];
    let runs = 0;
    const lane = createLane(async () => {
      runs++;
      if (runs === 1) throw new Error('down');
    }, { backoff: () => 50, onError: (_error, failures) => errors.push(failures), now: () => clock });
    await lane.kick();
    expect(errors).toEqual([1]);
    const retried = lane.kick();
    await tick();
    expect(runs).toBe(1);
    clock = 50;
    await retried;
    expect(runs).toBe(2);
    await lane.close();
  });

  it('given a failure backing off, when kicked to run now, then it runs at once', async () => {
    let runs = 0;
    const lane = createLane(async () => {
      runs++;
      if (runs === 1) throw new Error('down');
    }, { backoff: () => 3_600_000, onError: () => {} });
    await lane.kick();
    const waiting = lane.kick();
    await tick();
    expect(runs).toBe(1);
    await lane.kick({ now: true });
    await waiting;
    expect(runs).toBe(2);
    await lane.close();
  });
});
