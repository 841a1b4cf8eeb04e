export { tokens } from '../conversation/usage.js';

/** $1.23; a little more than nothing says so rather than $0.00. */
export const usd = (n: number): string => (n > 0 && n < 0.01 ? '< $0.01' : `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);

export const count = (n: number): string => n.toLocaleString('en-US');

/** 2 h 05 min, 45 min */
export function minutes(total: number): string {
  const m = Math.max(0, Math.round(total));
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** A time of day in the report's zone. */
export const clock = (iso: string, tz: string): string =>
  new Date(iso).toLocaleTimeString('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit' });

export const dayAndClock = (iso: string, tz: string): string =>
  new Date(iso).toLocaleString('en-GB', { timeZone: tz, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
