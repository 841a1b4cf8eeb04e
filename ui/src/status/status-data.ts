import { createSignal, type Accessor } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { fetchHealth, type Health } from './health.js';
import { createRefresh } from './refresh.js';
import { fetchHookHealth, fetchIngest, fetchParked, fetchProjections, type HookHost, type IngestStats, type ParkedEvent, type Projection } from './status-api.js';

/** One part of the page: its last good answer, and why the latest attempt failed (if it did). */
export interface Part<T> {
  value: Accessor<T | undefined>;
  problem: Accessor<string | undefined>;
}

/**
 * Answers are reconciled into a store by `key`: a row that is still there keeps its elements
 * (and the keyboard focus, and a message shown under its button) across refreshes.
 */
function createPart<T>(key = 'id'): Part<T> & { load(fetch: () => Promise<T>): Promise<boolean> } {
  const [state, setState] = createStore<{ value?: T }>({});
  const [problem, setProblem] = createSignal<string>();
  return {
    value: () => state.value,
    problem,
    async load(fetch) {
      try {
        const fresh = await fetch();
        setState('value', reconcile(fresh, { key }) as never);
        setProblem(undefined);
        return true;
      } catch (error) {
        // The last good answer stays on screen, marked as stale by the problem.
        setProblem((error as Error).message);
        return false;
      }
    },
  };
}

export const INGEST_MINUTES = 60;
export const REFRESH_SECONDS = 10;

/** Everything the status page shows, each part fetched on its own so one failing leaves the others. */
export function createStatusData() {
  const health = createPart<Health>();
  const projections = createPart<Projection[]>('name');
  const parked = createPart<Record<string, ParkedEvent[]>>();
  const hooks = createPart<HookHost[]>('host');
  const ingest = createPart<IngestStats>('at');
  const [checkedAt, setCheckedAt] = createSignal<Date>();

  const loadProjections = async () => {
    let listed: Projection[] = [];
    if (!(await projections.load(async () => (listed = await fetchProjections())))) return;
    await parked.load(async () => Object.fromEntries(await Promise.all(listed.map(async (p) => [p.name, p.parked > 0 ? await fetchParked(p.name) : []] as const))));
  };
  const refresh = createRefresh(
    async () => {
      await Promise.all([health.load(fetchHealth), loadProjections(), hooks.load(fetchHookHealth), ingest.load(() => fetchIngest(INGEST_MINUTES))]);
      setCheckedAt(new Date());
    },
    { everyMs: REFRESH_SECONDS * 1000 },
  );
  return { health, projections, parked, hooks, ingest, checkedAt, refresh };
}
