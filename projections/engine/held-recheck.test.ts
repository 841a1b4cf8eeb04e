import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHeldRecheck } from './held-recheck.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function given() {
  let wakes = 0;
  const recheck = createHeldRecheck({ firstMs: 4, maxMs: 1000, wake: () => wakes++ });
  return { recheck, wakes: () => wakes };
}

describe('the recheck of a held read', () => {
  it('wakes the projector after the first pause, then after pauses doubling while reads stay held, up to the poll', () => {
    const { recheck, wakes } = given();
    const pauses: number[] = [];
    for (let read = 0; read < 10; read++) {
      recheck.onRead(true);
      let waited = 0;
      while (wakes() === read) {
        vi.advanceTimersByTime(1);
        waited++;
      }
      pauses.push(waited);
    }
    expect(pauses).toEqual([4, 8, 16, 32, 64, 128, 256, 512, 1000, 1000]);
  });

  it('starts again from the first pause once a read was not held', () => {
    const { recheck, wakes } = given();
    recheck.onRead(true);
    vi.advanceTimersByTime(4);
    recheck.onRead(true);
    vi.advanceTimersByTime(8);
    recheck.onRead(false);
    recheck.onRead(true);
    vi.advanceTimersByTime(4);
    expect(wakes()).toBe(3);
  });

  it('does nothing when no read was held, when a wake-up came after the held read, or once stopped', () => {
    const { recheck, wakes } = given();
    recheck.onRead(false);
    vi.advanceTimersByTime(2000);
    recheck.onRead(true);
    recheck.woke();
    vi.advanceTimersByTime(2000);
    recheck.onRead(true);
    recheck.stop();
    vi.advanceTimersByTime(2000);
    recheck.onRead(true);
    vi.advanceTimersByTime(2000);
    expect(wakes()).toBe(0);
  });
});
