import { createEffect, createMemo, createSignal, on, onCleanup, onMount, Show } from 'solid-js';
import { fetchHosts, type Filters, type HostHealth } from '../hooks/api.js';
import { HostSummary } from '../hooks/HostSummary.js';
import { LogFilters } from '../hooks/LogFilters.js';
import { LogList } from '../hooks/LogList.js';
import { createLogState } from '../hooks/log-state.js';
import '../hooks/hooks.css';
import { onLive } from '../lib/live.js';
import { location, navigate } from '../lib/router.js';

const HOSTS_REFRESH_MS = 2000;

/** The filters live in the address, so a filtered view can be reloaded and shared. */
function filtersOf(search: string): Filters {
  const params = new URLSearchParams(search);
  return { host: params.get('host') ?? '', level: params.get('level') ?? '', q: params.get('q') ?? '' };
}

/**
 * `/hooks`: each client host's hook at a glance, and the hooks' own logs (deliveries, retries,
 * failures, spool depth) shipped to the server, searchable and filterable, live.
 */
export function HooksPage(_props: { params: Record<string, string> }) {
  const filters = createMemo(() => filtersOf(location().search), undefined, {
    equals: (a, b) => a.host === b.host && a.level === b.level && a.q === b.q,
  });
  const setFilters = (change: Partial<Filters>) => {
    const next = { ...filters(), ...change };
    const params = new URLSearchParams(Object.entries(next).filter(([, value]) => value !== ''));
    const search = params.toString();
    navigate(`/hooks${search ? `?${search}` : ''}`, { replace: true });
  };

  const log = createLogState(filters);
  createEffect(on(filters, () => void log.reset()));

  const [hosts, setHosts] = createSignal<HostHealth[]>();
  const [hostsProblem, setHostsProblem] = createSignal<string>();
  const [now, setNow] = createSignal(Date.now());
  const loadHosts = async () => {
    try {
      setHosts(await fetchHosts());
      setHostsProblem(undefined);
    } catch (error) {
      setHostsProblem((error as Error).message);
    }
    setNow(Date.now());
  };
  let hostsTimer: number | undefined;
  // Every delivery moves a host's numbers; a burst of them is one refresh.
  const hostsChanged = () => {
    hostsTimer ??= window.setTimeout(() => {
      hostsTimer = undefined;
      void loadHosts();
    }, HOSTS_REFRESH_MS);
  };
  onMount(() => void loadHosts());
  onCleanup(() => window.clearTimeout(hostsTimer));

  onLive({
    change(change) {
      hostsChanged();
      if (change.type === 'hook.log') log.arrived(change.requestId);
    },
    resync() {
      void loadHosts();
      void log.reset();
    },
  });

  let search: HTMLInputElement | undefined;
  const onKey = (event: KeyboardEvent) => {
    const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement || event.target instanceof HTMLTextAreaElement;
    if (event.key !== '/' || typing || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    search?.focus();
  };
  window.addEventListener('keydown', onKey);
  onCleanup(() => window.removeEventListener('keydown', onKey));

  const filtered = () => filters().host !== '' || filters().level !== '' || filters().q.trim() !== '';

  return (
    <div class="hl-page">
      <HostSummary hosts={hosts()} problem={hostsProblem()} selected={filters().host} now={now()} onPick={(host) => setFilters({ host })} />
      <section class="card" aria-labelledby="hl-log-title">
        <div class="card-head">
          <h2 id="hl-log-title">Hook log</h2>
          <Show when={filtered()}>
            <button type="button" class="quiet" onClick={() => setFilters({ host: '', level: '', q: '' })}>
              Clear filters
            </button>
          </Show>
        </div>
        <LogFilters filters={filters()} hosts={(hosts() ?? []).map((h) => h.host)} onChange={setFilters} ref={(el) => (search = el)} />
        <Show when={log.problem()}>{(message) => <p class="hl-problem" role="alert">The log could not be loaded: {message()}</p>}</Show>
        <Show when={log.loaded() && log.items().length === 0 && !log.loading()}>
          <p class="muted">
            {filtered()
              ? 'No line matches these filters.'
              : 'No log lines yet. Each hook sends its log after its next successful delivery.'}
          </p>
        </Show>
        <LogList items={log.items()} hasMore={log.cursor() !== null} loading={log.loading()} onMore={() => void log.more()} />
      </section>
    </div>
  );
}
