import { For, Show } from 'solid-js';
import { ago, count } from './format.js';
import type { HookHost } from './status-api.js';
import type { Part } from './status-data.js';

const seconds = (ms: number) => (ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

/** Each client host's hook, most recently heard from first: is it delivering, retrying, spooling? */
export function HookHealthCard(props: { part: Part<HookHost[]> }) {
  return (
    <section class="card" aria-labelledby="hooks-title">
      <div class="card-head">
        <h2 id="hooks-title">Hooks by host</h2>
      </div>
      <Show when={props.part.problem()}>{(problem) => <p class="problem">Could not load hook health: {problem()}</p>}</Show>
      <Show when={props.part.value()} fallback={<Show when={!props.part.problem()}><p class="muted">Loading…</p></Show>}>
        {(hosts) => (
          <Show when={hosts().length > 0} fallback={<p class="muted">No hook has delivered an event yet.</p>}>
            <ul class="hosts">
              <For each={hosts()}>
                {(host) => (
                  <li class="host" data-host={host.host}>
                    <div class="projection-head">
                      <h3>{host.host}</h3>
                      <span class="muted small" title={host.lastSeen}>
                        last heard {ago(host.lastSeen)}
                      </span>
                    </div>
                    <dl class="stats">
                      <div>
                        <dt>Events</dt>
                        <dd>{count(host.events)}</dd>
                      </div>
                      <div>
                        <dt>Hook</dt>
                        <dd>{host.hookVersion ?? 'unknown'}</dd>
                      </div>
                      <div data-tone={host.retries > 0 ? 'degraded' : undefined}>
                        <dt>Retried</dt>
                        <dd>{count(host.retries)}</dd>
                      </div>
                      <div data-tone={host.lateArrivals.count > 0 ? 'degraded' : undefined}>
                        <dt>Late</dt>
                        <dd title="delivered more than a minute after capture: spooled while the server was away">
                          {count(host.lateArrivals.count)}
                          <Show when={host.lateArrivals.count > 0}> (up to {seconds(host.lateArrivals.maxLagMs)})</Show>
                        </dd>
                      </div>
                    </dl>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </section>
  );
}
