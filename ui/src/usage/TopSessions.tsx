import { For, Show } from 'solid-js';
import { Link } from '../components/Link.js';
import type { SessionRow } from './api.js';
import { tokens, usd } from './format.js';

/** The range's most expensive conversations, each a link to it. */
export function TopSessions(props: { sessions: SessionRow[] }) {
  return (
    <section class="card usage-top" aria-labelledby="usage-sessions-title">
      <h2 id="usage-sessions-title">Top conversations</h2>
      <Show when={props.sessions.length > 0} fallback={<p class="muted small">None in this range.</p>}>
        <table class="usage-table" data-testid="top-sessions">
          <thead>
            <tr><th scope="col">Conversation</th><th scope="col">Project</th><th scope="col" class="num">Tokens</th><th scope="col" class="num">Cost</th></tr>
          </thead>
          <tbody>
            <For each={props.sessions}>
              {(s) => (
                <tr data-session={s.sessionId}>
                  <th scope="row">
                    <Link href={`/conversations/${encodeURIComponent(s.sessionId)}`} class="usage-session">{s.title || 'Untitled conversation'}</Link>
                    <span class="muted small usage-sub">{s.lastActivity}{s.host ? ` · ${s.host}` : ''}</span>
                  </th>
                  <td>{s.project}</td>
                  <td class="num" title={s.totalTokens.toLocaleString('en-US')}>{tokens(s.totalTokens)}</td>
                  <td class="num">{usd(s.totalCost)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </section>
  );
}
