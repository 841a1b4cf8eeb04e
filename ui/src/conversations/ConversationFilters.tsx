import { createEffect, createSignal, For, on, onCleanup, Show } from 'solid-js';
import type { Filters } from './api.js';
import { anyFilter, setFilters } from './filters.js';

const SEARCH_DEBOUNCE_MS = 300;

/** Search, project, host, status, day range and order; every change goes to the address bar, which the list follows. */
export function ConversationFilters(props: { filters: Filters; projects: string[]; hosts: string[]; searchRef?: (el: HTMLInputElement) => void }) {
  // Typing stays local until it pauses, so the address bar and the list do not chase each keystroke.
  const [q, setQ] = createSignal(props.filters.q);
  let timer: number | undefined;
  // Back, forward or Clear change the address bar: follow it, but not the echo of one's own typing.
  createEffect(on(() => props.filters.q, (value) => value !== q().trim() && setQ(value)));
  onCleanup(() => window.clearTimeout(timer));
  const typed = (value: string) => {
    setQ(value);
    window.clearTimeout(timer);
    timer = window.setTimeout(() => setFilters({ q: value.trim() }), SEARCH_DEBOUNCE_MS);
  };

  return (
    <form class="conv-filters" role="search" onSubmit={(e) => { e.preventDefault(); window.clearTimeout(timer); setFilters({ q: q().trim() }); }}>
      <label class="conv-search">
        <span>Search</span>
        <input type="search" ref={props.searchRef} value={q()} placeholder="Words in titles, prompts, answers  ( / )" onInput={(e) => typed(e.currentTarget.value)} />
      </label>
      <label>
        <span>Project</span>
        <input list="conv-projects" value={props.filters.project} placeholder="any" onChange={(e) => setFilters({ project: e.currentTarget.value.trim() })} />
        <datalist id="conv-projects">
          <For each={props.projects}>{(project) => <option value={project} />}</For>
        </datalist>
      </label>
      <label>
        <span>Host</span>
        <input list="conv-hosts" value={props.filters.host} placeholder="any" onChange={(e) => setFilters({ host: e.currentTarget.value.trim() })} />
        <datalist id="conv-hosts">
          <For each={props.hosts}>{(host) => <option value={host} />}</For>
        </datalist>
      </label>
      <label>
        <span>Status</span>
        <select value={props.filters.status} onChange={(e) => setFilters({ status: e.currentTarget.value })}>
          <option value="">any</option>
          <option value="active">active</option>
          <option value="waiting">waiting</option>
          <option value="ended">ended</option>
        </select>
      </label>
      <label>
        <span>Active from</span>
        <input type="date" value={props.filters.from} max={props.filters.to || undefined} onChange={(e) => setFilters({ from: e.currentTarget.value })} />
      </label>
      <label>
        <span>to</span>
        <input type="date" value={props.filters.to} min={props.filters.from || undefined} onChange={(e) => setFilters({ to: e.currentTarget.value })} />
      </label>
      <label>
        <span>Order</span>
        <select value={props.filters.sort} onChange={(e) => setFilters({ sort: e.currentTarget.value })}>
          <option value="">recent first</option>
          <option value="cost">most expensive first</option>
        </select>
      </label>
      <Show when={anyFilter(props.filters)}>
        <button type="button" class="quiet" onClick={() => { setQ(''); setFilters({ q: '', project: '', host: '', status: '', from: '', to: '' }); }}>
          Clear
        </button>
      </Show>
    </form>
  );
}
