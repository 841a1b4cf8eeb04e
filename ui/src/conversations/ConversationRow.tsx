import { Show } from 'solid-js';
import { Link } from '../components/Link.js';
import { usd } from '../usage/format.js';
import { ago, when } from './ago.js';
import type { ConversationSummary } from './api.js';
import { conversationBadge } from './idle.js';
import { StatusBadge } from './StatusBadge.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export function ConversationRow(props: { conversation: ConversationSummary; now: number }) {
  const c = () => props.conversation;
  const badge = () => conversationBadge(c(), props.now);
  return (
    <li class="conv-row" data-session={c().sessionId}>
      <Link href={`/conversations/${encodeURIComponent(c().sessionId)}`} class="conv-link">
        <span class="conv-line">
          <span class="conv-title">{c().title || 'Untitled conversation'}</span>
          <StatusBadge status={badge().status} title={badge().title} />
        </span>
        <span class="conv-line muted small">
          <span class="conv-project">
            {c().project ?? c().cwd ?? 'no project'}
            <Show when={c().gitBranch}>{(branch) => <> · {branch()}</>}</Show>
            <Show when={c().hosts?.length}> · on {c().hosts!.join(', ')}</Show>
          </span>
          <time class="conv-age" dateTime={c().lastActivityAt ?? undefined} title={when(c().lastActivityAt)}>
            {ago(c().lastActivityAt, props.now)}
          </time>
        </span>
        <span class="conv-counts muted small">
          {plural(c().promptCount, 'prompt')} · {plural(c().messageCount, 'message')} · {plural(c().toolUseCount, 'tool use')}
          <Show when={c().toolFailureCount > 0}>
            {' '}
            <span class="conv-failures">({c().toolFailureCount.toLocaleString()} failed)</span>
          </Show>
          <Show when={c().subagentCount > 0}> · {plural(c().subagentCount, 'subagent')}</Show>
          <Show when={c().costUsd !== undefined}>
            {' · '}
            <span class="conv-cost" data-testid="conversation-cost">{usd(c().costUsd!)}</span>
          </Show>
        </span>
      </Link>
    </li>
  );
}
