import { For, Show } from 'solid-js';
import type { ProjectRow } from './api.js';
import { count, tokens, usd } from './format.js';
import { setParams } from './params.js';

/** The range's most expensive projects; choosing one filters the page to it. */
export function TopProjects(props: { projects: ProjectRow[]; current: string }) {
  return (
    <section class="card usage-top" aria-labelledby="usage-projects-title">
      <h2 id="usage-projects-title">Top projects</h2>
      <Show when={props.projects.length > 0} fallback={<p class="muted small">None in this range.</p>}>
        <table class="usage-table" data-testid="top-projects">
          <thead>
            <tr><th scope="col">Project</th><th scope="col" class="num">Conversations</th><th scope="col" class="num">Tokens</th><th scope="col" class="num">Cost</th></tr>
          </thead>
          <tbody>
            <For each={props.projects}>
              {(p) => (
                <tr data-project={p.project}>
                  <th scope="row">
                    <button type="button" class="link" title={props.current === p.project ? 'Show every project' : 'Show only this project'} aria-pressed={props.current === p.project} onClick={() => setParams({ project: props.current === p.project ? '' : p.project })}>
                      {p.project}
                    </button>
                  </th>
                  <td class="num">{count(p.sessions)}</td>
                  <td class="num" title={p.totalTokens.toLocaleString('en-US')}>{tokens(p.totalTokens)}</td>
                  <td class="num">{usd(p.totalCost)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </section>
  );
}
