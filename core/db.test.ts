import { describe, expect, it } from 'vitest';
import { connect, reconnectDelay } from './db.js';

describe('reconnecting after Postgres went away', () => {
  it('waits at most a second between attempts however many failed, with jitter of up to half', () => {
    expect(reconnectDelay(0, () => 1)).toBe(0.05);
    expect(reconnectDelay(3, () => 1)).toBe(0.4);
    expect(reconnectDelay(3, () => 0)).toBe(0.2);
    for (const failures of [5, 10, 40, 1000]) {
      expect(reconnectDelay(failures, () => 1)).toBe(1);
      expect(reconnectDelay(failures, () => 0)).toBe(0.5);
    }
  });

  it('is what every pool Arrakis opens uses, instead of the driver default of up to 20 s', async () => {
    // The URL is never dialled: the pool connects on its first query.
    const sql = connect('postgres://nobody@127.0.0.1:1/none');
    const backoff = sql.options.backoff as unknown as (failures: number) => number;
    for (let i = 0; i < 20; i++) expect(backoff(12)).toBeLessThanOrEqual(1);
    await sql.end();
  });
});
