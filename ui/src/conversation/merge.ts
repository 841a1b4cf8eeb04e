import type { Message } from './api.js';

const times = new WeakMap<Message, number>();
const timeOf = (m: Message): number => {
  let t = times.get(m);
  if (t === undefined) times.set(m, (t = Date.parse(m.at) || 0));
  return t;
};

/** The server's order: time, then first log position, then key. */
export const compareMessages = (a: Message, b: Message): number =>
  timeOf(a) - timeOf(b) || (a.sources[0] ?? 0) - (b.sources[0] ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

// Every event folded into a message adds its position to `sources`: the same sources, the same message.
const unchanged = (a: Message, b: Message) => a.sources.length === b.sources.length && a.sources.at(-1) === b.sources.at(-1);

/**
 * The timeline with fetched messages folded in: a known key is replaced in place (its old
 * object kept when nothing changed, so its row is not drawn again), new keys are added in
 * order, and documents an incoming message now carries (`pairedKeys`) are dropped. A late
 * transcript line can add a message before ones already shown, and a merge can move one a
 * little earlier: then the list is sorted again.
 */
export function mergeMessages(shown: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return shown;
  // A prompt's hook shows alone until its transcript line arrives; then the line carries it.
  const paired = new Set(incoming.flatMap((m) => m.pairedKeys ?? []));
  const list = paired.size === 0 ? shown : shown.filter((m) => !paired.has(m.key));
  const fresh = new Map(incoming.map((m) => [m.key, m]));
  let changed = false;
  let moved = false;
  const next = list.map((old) => {
    const m = fresh.get(old.key);
    if (!m) return old;
    fresh.delete(old.key);
    if (unchanged(old, m)) return old;
    changed = true;
    if (compareMessages(old, m) !== 0) moved = true;
    return m;
  });
  const added = [...fresh.values()];
  if (added.length === 0) return changed ? (moved ? next.sort(compareMessages) : next) : list;
  const last = next.at(-1);
  const inOrder = added.every((m, i) => i === 0 || compareMessages(added[i - 1]!, m) < 0);
  next.push(...added);
  return moved || !inOrder || (last && compareMessages(last, added[0]!) > 0) ? next.sort(compareMessages) : next;
}
