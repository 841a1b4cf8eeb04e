import { createEffect, createSignal, For, on, onCleanup } from 'solid-js';
import { LEVELS, type Filters } from './api.js';

export interface LogFiltersProps {
  filters: Filters;
  hosts: string[];
  onChange: (change: Partial<Filters>) => void;
  ref?: (search: HTMLInputElement) => void;
}

const SEARCH_DELAY_MS = 300;

/** Search (as you type, words match as prefixes), host and level. */
export function LogFilters(props: LogFiltersProps) {
  const [typed, setTyped] = createSignal(props.filters.q);
  let timer: number | undefined;
  const search = (value: string) => {
    setTyped(value);
    window.clearTimeout(timer);
    timer = window.setTimeout(() => props.onChange({ q: value }), SEARCH_DELAY_MS);
  };
  // Enter searches at once.
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    window.clearTimeout(timer);
    props.onChange({ q: typed() });
  };
  onCleanup(() => window.clearTimeout(timer));
  // Cleared or changed elsewhere (the address, "Clear filters"): the box follows.
  createEffect(on(() => props.filters.q, (q) => setTyped(q), { defer: true }));
  // A host named in the address but unknown to hook health still shows as chosen.
  const hosts = () => (props.filters.host && !props.hosts.includes(props.filters.host) ? [props.filters.host, ...props.hosts] : props.hosts);

  return (
    <form class="hl-filters" role="search" onSubmit={submit}>
      <div class="hl-field hl-search">
        <label for="hl-q">Search</label>
        <input id="hl-q" type="search" ref={props.ref} value={typed()} placeholder="ECONNREFUSED, dead-letter, a session id… ( / )" onInput={(e) => search(e.currentTarget.value)} />
      </div>
      <div class="hl-field">
        <label for="hl-host">Host</label>
        <select id="hl-host" value={props.filters.host} onChange={(e) => props.onChange({ host: e.currentTarget.value })}>
          <option value="">All hosts</option>
          <For each={hosts()}>{(host) => <option value={host} selected={host === props.filters.host}>{host}</option>}</For>
        </select>
      </div>
      <div class="hl-field">
        <label for="hl-level">Level</label>
        <select id="hl-level" value={props.filters.level} onChange={(e) => props.onChange({ level: e.currentTarget.value })}>
          <option value="">All levels</option>
          <For each={LEVELS}>{(level) => <option value={level} selected={level === props.filters.level}>{level}</option>}</For>
        </select>
      </div>
    </form>
  );
}
