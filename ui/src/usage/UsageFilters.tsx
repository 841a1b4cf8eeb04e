import { For } from 'solid-js';
import { browserZone, setParams, type UsageParams } from './params.js';

const zones = (): string[] => {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
};

/** Day range, time zone, project, host and model; every change goes to the address, which the page follows. */
export function UsageFilters(props: { params: UsageParams; projects: string[]; hosts: string[]; models: string[] }) {
  const text = (label: string, name: 'project' | 'host' | 'model', options: string[]) => (
    <label>
      <span>{label}</span>
      <input list={`usage-${name}s`} value={props.params[name]} placeholder="any" onChange={(e) => setParams({ [name]: e.currentTarget.value.trim() })} />
      <datalist id={`usage-${name}s`}>
        <For each={options}>{(option) => <option value={option} />}</For>
      </datalist>
    </label>
  );
  return (
    <form class="usage-filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        <span>From</span>
        <input type="date" value={props.params.since} max={props.params.until} onChange={(e) => setParams({ since: e.currentTarget.value })} />
      </label>
      <label>
        <span>to</span>
        <input type="date" value={props.params.until} min={props.params.since} onChange={(e) => setParams({ until: e.currentTarget.value })} />
      </label>
      <label>
        <span>Time zone</span>
        <input list="usage-zones" value={props.params.tz} onChange={(e) => setParams({ tz: e.currentTarget.value.trim() === browserZone() ? '' : e.currentTarget.value.trim() })} />
        <datalist id="usage-zones">
          <For each={zones()}>{(zone) => <option value={zone} />}</For>
        </datalist>
      </label>
      {text('Project', 'project', props.projects)}
      {text('Host', 'host', props.hosts)}
      {text('Model', 'model', props.models)}
      <button type="button" class="quiet" onClick={() => setParams({ since: '', until: '', tz: '', project: '', host: '', model: '' })}>
        Reset
      </button>
    </form>
  );
}
