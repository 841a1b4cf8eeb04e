import type { Sql } from 'postgres';

export interface MinuteEvents {
  /** The start of the minute, ISO. */
  at: string;
  events: number;
}

/**
 * Events received in each of the `minutes` minutes up to `now`'s, oldest first, the current
 * (partial) minute last; minutes without events are 0. Only the window is read: received_at
 * has a BRIN index (migration 004), and appends stamp it in the table's physical order.
 */
export async function eventsPerMinute(sql: Sql, { minutes, now }: { minutes: number; now: Date }): Promise<MinuteEvents[]> {
  const last = Math.floor(now.getTime() / 60_000) * 60_000;
  const first = new Date(last - (minutes - 1) * 60_000);
  const rows = await sql<{ at: Date; events: number }[]>`
    select date_bin('1 minute', e.received_at, timestamptz 'epoch') as at, count(*)::int as events
      from arrakis.events e
     where e.received_at >= ${first} and e.received_at < ${new Date(last + 60_000)}
     group by 1`;
  const counted = new Map(rows.map((row) => [row.at.getTime(), row.events]));
  return Array.from({ length: minutes }, (_, i) => {
    const at = first.getTime() + i * 60_000;
    return { at: new Date(at).toISOString(), events: counted.get(at) ?? 0 };
  });
}
