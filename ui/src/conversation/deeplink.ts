import { createEffect, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import { ApiError } from '../lib/http.js';
import { fetchMessagesAround, type Message } from './api.js';
import type { Expanded } from './expand.js';
import { keyOfHash } from './links.js';
import type { Row } from './rows.js';
import type { Timeline } from './timeline.js';

export interface DeepLink {
  /** The row the address points at, marked for a moment after the page lands on it. */
  highlighted: Accessor<string | null>;
  /** Why the address's entry cannot be shown. */
  problem: Accessor<string | null>;
}

interface Options {
  sessionId: string;
  timeline: Timeline;
  rows: Accessor<Row[]>;
  expanded: Expanded;
  /** Scrolls the virtualised list to a row; false while it has no such row. */
  scrollTo: (key: string) => boolean;
}

const HIGHLIGHT_MS = 2500;
// Rows measured after the scroll (drawn taller than guessed) can still move the entry this long.
const SETTLE_MS = 1500;
const AROUND_PAGE = 200;

/** The subagent runs a message sits in, innermost first: each must be open for its row to exist. */
function runsAround(messages: Message[], m: Message): string[] {
  const callers = new Map(messages.filter((x) => x.kind === 'tool' && x.childAgentId).map((x) => [x.childAgentId!, x]));
  // A run's own marker heads it when no call started it: then it stands at the top level.
  let agent = m.kind === 'subagent' && m.agentId && !callers.has(m.agentId) ? undefined : m.agentId;
  const runs: string[] = [];
  while (agent && !runs.includes(agent)) {
    runs.push(agent);
    agent = callers.get(agent)?.agentId;
  }
  return runs;
}

/**
 * Follows `#m-<key>` in the address: on opening and on every hash change, the page holding that
 * message is read at once (the timeline loads from the start, and a 10,000-entry one takes a
 * while to get there), the runs around it open, and the list scrolls to it and marks it. Rows
 * loaded above it meanwhile would push it away, so the page stays on it until the load is done
 * or the reader scrolls or types.
 */
export function createDeepLink(o: Options): DeepLink {
  const [target, setTarget] = createSignal<string | null>(null);
  const [highlighted, setHighlighted] = createSignal<string | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  let pinned = false;
  // Marked once per visit: the effect runs again while the load goes on.
  let marked = false;
  let timer: number | undefined;
  let settling = false;
  // Bumped by every hash followed, so that an older visit's loop stops.
  let visit = 0;

  /** Once everything is loaded: back to the entry whenever it is not wholly in view, for a while, then let go. */
  const settle = (key: string) => {
    settling = true;
    const mine = visit;
    const until = performance.now() + SETTLE_MS;
    const step = () => {
      if (mine !== visit) return;
      if (!pinned) return void (settling = false);
      const box = document.querySelector(`.msg[data-key="${CSS.escape(key)}"]`)?.getBoundingClientRect();
      if (!box || box.top < 0 || box.bottom > window.innerHeight) o.scrollTo(key);
      if (performance.now() < until) requestAnimationFrame(step);
      else settling = pinned = false;
    };
    requestAnimationFrame(step);
  };

  const follow = () => {
    const key = keyOfHash(window.location.hash, o.sessionId);
    setProblem(null);
    pinned = key !== null;
    marked = false;
    settling = false;
    visit++;
    setHighlighted(null);
    setTarget(key);
    if (key === null || o.timeline.messages().some((m) => m.key === key)) return;
    fetchMessagesAround(o.sessionId, key, AROUND_PAGE).then(
      (page) => target() === key && o.timeline.include(page.items),
      (error: unknown) => {
        if (target() !== key) return;
        setProblem(error instanceof ApiError && error.status === 404 ? 'The linked entry is not in this conversation.' : `Could not load the linked entry: ${(error as Error).message}`);
      },
    );
  };
  const release = () => (pinned = false);
  window.addEventListener('hashchange', follow);
  for (const type of ['wheel', 'touchstart', 'keydown'] as const) window.addEventListener(type, release, { passive: true });
  onCleanup(() => {
    window.removeEventListener('hashchange', follow);
    for (const type of ['wheel', 'touchstart', 'keydown'] as const) window.removeEventListener(type, release);
    window.clearTimeout(timer);
  });
  follow();

  createEffect(
    on([target, o.rows, o.timeline.complete], ([key, rows, complete]) => {
      if (!key || !pinned) return;
      const messages = o.timeline.messages();
      // A prompt's hook document is folded into its transcript line's: the line stands for it.
      const m = messages.find((x) => x.key === key) ?? messages.find((x) => x.pairedKeys?.includes(key));
      if (!m) {
        if (complete && !problem()) setProblem('The linked entry is not in this conversation.');
        return;
      }
      const closed = runsAround(messages, m).filter((agent) => !o.expanded.isOpen(`agent:${agent}`));
      // Opening them rebuilds the rows, which runs this again.
      if (closed.length > 0) return closed.forEach((agent) => o.expanded.toggle(`agent:${agent}`));
      if (!rows.some((row) => row.key === m.key) || !o.scrollTo(m.key)) return;
      if (complete && !settling) settle(m.key);
      if (!marked) {
        marked = true;
        setHighlighted(m.key);
        window.clearTimeout(timer);
        timer = window.setTimeout(() => setHighlighted(null), HIGHLIGHT_MS);
      }
    }),
  );
  return { highlighted, problem };
}
