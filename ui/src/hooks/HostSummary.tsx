import { For, Show } from 'solid-js';
import type { HostHealth } from './api.js';
import { ago, span } from './format.js';

export interface HostSummaryProps {
  hosts: HostHealth[] | undefined;
  problem: string | undefined;
  selected: string;
  now: number;
  onPick: (host: string) => void;
}

/** One card per client host: is its hook delivering, how often does it retry, how long did events wait in its spool. */
export function HostSummary(props: HostSummaryProps) {
  return (
    <section class="card" aria-labelledby="hl-hosts-title">
      <h2 id="hl-hosts-title">Hosts</h2>
      <Show when={props.problem}>{(message) => <p class="hl-problem" role="alert">Hosts unknown: {message()}</p>}</Show>
      <Show when={props.hosts} fallback={<p class="muted">Asking the server…</p>}>
        {(hosts) => (
          <Show when={hosts().length > 0} fallback={<p class="muted">No hook has delivered an event yet.</p>}>
            <ul class="hl-hosts">
              <For each={hosts()}>
                {(host) => (
                  <li>
                    <button
                      type="button"
                      class="hl-host"
                      aria-pressed={props.selected === host.host}
                      title={props.selected === host.host ? 'Show every host' : `Show the log of ${host.host} only`}
                      onClick={() => props.onPick(props.selected === host.host ? '' : host.host)}
                    >
                      <span class="hl-host-name">{host.host}</span>
                      <span class="muted small">
                        last seen <time datetime={host.lastSeen} title={new Date(host.lastSeen).toLocaleString()}>{ago(host.lastSeen, props.now)}</time>
                        <Show when={host.hookVersion}>{(version) => ` · hook ${version()}`}</Show>
                      </span>
                      <span class="hl-host-stats">
                        <span>{host.events.toLocaleString()} event{host.events === 1 ? '' : 's'}</span>
                        <span data-level={host.retries > 0 ? 'warn' : undefined}>{host.retries.toLocaleString()} retried</span>
                        <span data-level={host.lateArrivals.count > 0 ? 'warn' : undefined}>
                          {host.lateArrivals.count > 0
                            ? `${host.lateArrivals.count.toLocaleString()} late, spooled up to ${span(host.lateArrivals.maxLagMs)}`
                            : 'none late'}
                        </span>
                      </span>
                    </button>
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
