import { For, Show } from 'solid-js';
import { query } from '../lib/http.js';
import { navigate } from '../lib/router.js';
import { instantOf, isFiltered, localInputValue, type EventFilter } from './filters.js';

export interface EventFiltersProps {
  filter: EventFilter;
  /** Event types to suggest; any other can be typed. */
  types: string[];
}

/** The filter form: applying it changes the address, which the list follows. */
export function EventFilters(props: EventFiltersProps) {
  const apply = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    navigate(
      `/events${query({
        type: text('type'),
        sessionId: text('sessionId'),
        requestId: text('requestId'),
        from: instantOf(text('from')),
        to: instantOf(text('to')),
      })}`,
    );
  };
  return (
    <form class="event-filters" onSubmit={apply} aria-label="Filter events">
      <label>
        Type
        <input name="type" list="event-types" value={props.filter.type} placeholder="any" autocomplete="off" />
      </label>
      <datalist id="event-types">
        <For each={props.types}>{(type) => <option value={type} />}</For>
      </datalist>
      <label>
        Session
        <input name="sessionId" value={props.filter.sessionId} placeholder="any" autocomplete="off" spellcheck={false} />
      </label>
      <label>
        Request id
        <input name="requestId" value={props.filter.requestId} placeholder="any" autocomplete="off" spellcheck={false} />
      </label>
      <label>
        Received from
        <input name="from" type="datetime-local" step="1" value={localInputValue(props.filter.from)} />
      </label>
      <label>
        Received before
        <input name="to" type="datetime-local" step="1" value={localInputValue(props.filter.to)} />
      </label>
      <div class="filter-actions">
        <button type="submit">Apply</button>
        <Show when={isFiltered(props.filter)}>
          <button type="button" class="quiet" onClick={() => navigate('/events')}>
            Clear
          </button>
        </Show>
      </div>
    </form>
  );
}
