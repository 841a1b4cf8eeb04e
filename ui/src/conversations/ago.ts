import { createSignal, onCleanup, type Accessor } from 'solid-js';

/** The time now, refreshed every `everyMs` while the calling component is mounted. */
export function ticking(everyMs = 15_000, clock: () => number = Date.now): Accessor<number> {
  const [now, setNow] = createSignal(clock());
  const timer = setInterval(() => setNow(clock()), everyMs);
  onCleanup(() => clearInterval(timer));
  return now;
}

/** "just now", "3 min ago", "5 h ago", "2 days ago", then the date. */
export function ago(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '—';
  const seconds = Math.max(0, (now - then) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 30) return days === 1 ? 'yesterday' : `${days} days ago`;
  return new Date(then).toLocaleDateString();
}

/** A full local date and time, for tooltips and headers. */
export const when = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString() : '—');
