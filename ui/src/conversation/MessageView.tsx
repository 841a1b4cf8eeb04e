import { createMemo, Match, Show, Switch } from 'solid-js';
import type { Message } from './api.js';
import { Clipped } from './Clipped.js';
import { commandView } from './command.js';
import type { Expanded } from './expand.js';
import { Markdown } from './Markdown.js';
import { Meta } from './Meta.js';
import type { Row } from './rows.js';
import { GroupToggle } from './GroupToggle.js';
import { ToolCard } from './ToolCard.js';
import { describeUsage, tokens } from './usage.js';

interface Props {
  row: Row;
  expanded: Expanded;
  onSources: (m: Message) => void;
  now: number;
}

function markerText(m: Message): string {
  switch (m.kind) {
    case 'notification':
      return `Notification${m.title ? `: ${m.title}` : ''}${m.text ? ` — ${m.text}` : ''}`;
    case 'compaction':
      return `Context compacted${m.stage === 'pre' ? ' (starting)' : ''}${m.trigger ? `, ${m.trigger}` : ''}${m.preTokens ? `, from ${tokens(m.preTokens)} tokens` : ''}`;
    case 'session':
      return m.event === 'end' ? `Session ended${m.reason ? ` (${m.reason})` : ''}` : `Session started${m.source ? ` (${m.source})` : ''}${m.model ? ` · ${m.model}` : ''}`;
    case 'subagent':
      return `Subagent ${m.agentType ?? ''} ${m.status === 'running' ? 'started' : 'finished'}`;
    default:
      return m.kind;
  }
}

/** One row of the timeline, drawn by its kind. */
export function MessageView(props: Props) {
  const m = () => props.row.message;
  const id = () => m().key;
  const command = createMemo(() => commandView(m().text ?? ''));
  return (
    <article class="msg" data-kind={m().kind} data-status={m().status} data-key={m().key}>
      <Switch>
        <Match when={m().kind === 'prompt'}>
          <Meta message={m()} label={m().agentId ? 'Task' : 'You'} onSources={props.onSources}>
            <Show when={props.row.turn}>{(turn) => <span class="msg-tokens muted small" title={describeUsage(turn())}>turn: {tokens(turn().input + turn().cacheRead + turn().cacheCreation)} in · {tokens(turn().output)} out</span>}</Show>
          </Meta>
          <Clipped id={`${id()}:text`} class="prompt-text" text={m().text ?? ''} lines={30} expanded={props.expanded} />
        </Match>
        <Match when={m().kind === 'command'}>
          <Meta message={m()} label={command().label} onSources={props.onSources} />
          <Clipped id={`${id()}:text`} class="tool-output" text={command().text} expanded={props.expanded} />
        </Match>
        <Match when={m().kind === 'assistant'}>
          <Meta message={m()} label="Claude" onSources={props.onSources}>
            <Show when={props.row.usage}>{(usage) => <span class="msg-tokens muted small" title={describeUsage(usage())}>{m().model ?? ''} · {tokens(usage().output)} out</span>}</Show>
          </Meta>
          <Show when={m().thinking}>
            {(thinking) => (
              <details class="thinking" open={props.expanded.isOpen(`${id()}:thinking`)} onToggle={(e) => e.currentTarget.open !== props.expanded.isOpen(`${id()}:thinking`) && props.expanded.toggle(`${id()}:thinking`)}>
                <summary>Thinking</summary>
                <p class="thinking-text">{thinking()}</p>
              </details>
            )}
          </Show>
          <Show when={m().text}>{(text) => <Markdown text={text()} />}</Show>
        </Match>
        <Match when={m().kind === 'tool'}>
          <ToolCard message={m()} group={props.row.group} expanded={props.expanded} onSources={props.onSources} now={props.now} />
        </Match>
        <Match when={true}>
          <div class="marker">
            <Meta message={m()} label={markerText(m())} onSources={props.onSources} />
            <Show when={(m().kind === 'compaction' || m().kind === 'subagent') && m().text}>
              {(text) => (
                <details>
                  <summary>{m().kind === 'compaction' ? 'Summary' : 'Last message'}</summary>
                  <Markdown text={text()} />
                </details>
              )}
            </Show>
            <Show when={props.row.group}>{(group) => <GroupToggle group={group()} expanded={props.expanded} />}</Show>
          </div>
        </Match>
      </Switch>
    </article>
  );
}
