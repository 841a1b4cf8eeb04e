import { createSignal } from 'solid-js';

/**
 * What the reader chose, in localStorage so it outlives the tab: whether to notify at all
 * (opt-in; the browser's permission alone is not a choice made here) and the muted projects.
 * What was already notified lives in sessionStorage: per tab, as the stream is.
 */

const ENABLED = 'arrakis.notify.enabled';
const MUTED = 'arrakis.notify.muted';
const SEEN = 'arrakis.notify.seen';

function read<T>(storage: Storage, key: string, fallback: T): T {
  try {
    const raw = storage.getItem(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

function write(storage: Storage, key: string, value: unknown): void {
  try {
    storage.setItem(key, JSON.stringify(value));
  } catch {
    // A full or blocked storage costs the memory of the choice, not the page.
  }
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

const [enabled, setEnabledSignal] = createSignal(read<unknown>(localStorage, ENABLED, false) === true);
const [muted, setMutedSignal] = createSignal(strings(read(localStorage, MUTED, [])));
export { enabled, muted };

export function setEnabled(on: boolean): void {
  write(localStorage, ENABLED, on);
  setEnabledSignal(on);
}

export function mute(project: string): void {
  const name = project.trim();
  if (!name || muted().includes(name)) return;
  const next = [...muted(), name].sort((a, b) => a.localeCompare(b));
  write(localStorage, MUTED, next);
  setMutedSignal(next);
}

export function unmute(project: string): void {
  const next = muted().filter((p) => p !== project);
  write(localStorage, MUTED, next);
  setMutedSignal(next);
}

// Another tab's choice applies here too.
window.addEventListener('storage', (event) => {
  if (event.key === ENABLED) setEnabledSignal(read<unknown>(localStorage, ENABLED, false) === true);
  if (event.key === MUTED) setMutedSignal(strings(read(localStorage, MUTED, [])));
});

export const seenKeys = (): string[] => strings(read(sessionStorage, SEEN, []));
export const saveSeenKeys = (keys: string[]): void => write(sessionStorage, SEEN, keys);

/** The projects notified lately, newest first, so muting one is a click away. */
const [recent, setRecent] = createSignal<string[]>([]);
export { recent as recentProjects };
export function noteProject(project: string | null): void {
  if (project) setRecent((list) => [project, ...list.filter((p) => p !== project)].slice(0, 5));
}
