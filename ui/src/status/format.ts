const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 minutes ago", for how long since a time, in the coarsest unit that fits. */
export function ago(iso: string, now = Date.now()): string {
  const elapsed = Date.parse(iso) - now;
  const [unit, ms] = units.find(([, ms]) => Math.abs(elapsed) >= ms) ?? units.at(-1)!;
  return relative.format(Math.round(elapsed / ms), unit);
}

export const clockTime = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

export const count = (n: number) => n.toLocaleString();

/** "1 event", "3 events": English plurals by an s. */
export const counted = (n: number, noun: string) => `${count(n)} ${noun}${n === 1 ? '' : 's'}`;
