import { createMemo, For, Show } from 'solid-js';
import { ago, when } from '../conversations/ago.js';
import { conversationBadge } from '../conversations/idle.js';
import { StatusBadge } from '../conversations/StatusBadge.js';
import { usd } from '../usage/format.js';
import type { ConversationDetail, ModelTokens } from './api.js';
import { CompletenessBadge } from './CompletenessBadge.js';
import { ExportMenu } from './ExportMenu.js';
import { tokens } from './usage.js';

/** Title, where and when, counts, and tokens and cost by model. */
export function ConversationHeader(props: { conversation: ConversationDetail; now: number }) {
  const c = () => props.conversation;
  const badge = () => conversationBadge(c(), props.now);
  const models = createMemo(() => Object.entries(c().tokens?.byModel ?? {}));
  const total = createMemo(() =>
    models().reduce<ModelTokens>(
      (sum, [, t]) => ({ input: sum.input + t.input, output: sum.output + t.output, cacheRead: sum.cacheRead + t.cacheRead, cacheCreation: sum.cacheCreation + t.cacheCreation, costUsd: sum.costUsd + t.costUsd }),
      { input: 0, output: 0, cacheRead: 0, cacheCreation: 0, costUsd: 0 },
    ),
  );
  return (
    <header class="conv-header card" data-testid="conversation-header">
      <div class="conv-line">
        <h2 class="conv-header-title">{c().title || 'Untitled conversation'}</h2>
        <span class="conv-badges">
          <CompletenessBadge sessionId={c().sessionId} />
          <StatusBadge status={badge().status} title={badge().title} />
          <ExportMenu sessionId={c().sessionId} />
        </span>
      </div>
      <p class="muted small conv-where">
        {c().project ?? 'no project'}
        <Show when={c().gitBranch}>{(b) => <> · branch <code>{b()}</code></>}</Show>
        <Show when={c().model}>{(m) => <> · {m()}</>}</Show>
        <Show when={c().cwd}>{(cwd) => <> · <code>{cwd()}</code></>}</Show>
      </p>
      <dl class="conv-facts">
        <div><dt>Started</dt><dd title={when(c().startedAt)}>{ago(c().startedAt, props.now)}</dd></div>
        <div><dt>Last activity</dt><dd title={when(c().lastActivityAt)}>{ago(c().lastActivityAt, props.now)}</dd></div>
        <Show when={c().endedAt}><div><dt>Ended</dt><dd title={when(c().endedAt)}>{ago(c().endedAt, props.now)}{c().endReason ? ` (${c().endReason})` : ''}</dd></div></Show>
        <div><dt>Prompts</dt><dd>{c().promptCount.toLocaleString()}</dd></div>
        <div><dt>Messages</dt><dd>{c().messageCount.toLocaleString()}</dd></div>
        <div><dt>Tool uses</dt><dd>{c().toolUseCount.toLocaleString()}<Show when={c().toolFailureCount > 0}> <span class="conv-failures">({c().toolFailureCount} failed)</span></Show></dd></div>
        <Show when={c().subagentCount > 0}><div><dt>Subagents</dt><dd>{c().subagentCount}</dd></div></Show>
        <Show when={c().compactions > 0}><div><dt>Compactions</dt><dd>{c().compactions}</dd></div></Show>
        <div><dt>Tokens</dt><dd title="input · output · cache read · cache write">{tokens(total().input)} in · {tokens(total().output)} out · {tokens(total().cacheRead)} cached</dd></div>
        <div><dt>Cost</dt><dd data-testid="cost">{usd(c().costUsd ?? total().costUsd)}</dd></div>
      </dl>
      <Show when={models().length > 1}>
        <details class="conv-models">
          <summary>By model</summary>
          <table>
            <thead><tr><th scope="col">Model</th><th scope="col">In</th><th scope="col">Out</th><th scope="col">Cache read</th><th scope="col">Cache write</th><th scope="col">Cost</th></tr></thead>
            <tbody>
              <For each={models()}>
                {([model, t]) => <tr><th scope="row">{model}</th><td>{tokens(t.input)}</td><td>{tokens(t.output)}</td><td>{tokens(t.cacheRead)}</td><td>{tokens(t.cacheCreation)}</td><td>{usd(t.costUsd)}</td></tr>}
              </For>
            </tbody>
          </table>
        </details>
      </Show>
      <p class="muted small conv-id">Session <code>{c().sessionId}</code></p>
    </header>
  );
}
