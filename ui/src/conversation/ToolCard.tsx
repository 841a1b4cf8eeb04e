import { Show } from 'solid-js';
import { toolBadge } from '../conversations/idle.js';
import { StatusBadge } from '../conversations/StatusBadge.js';
import type { Message } from './api.js';
import type { Expanded } from './expand.js';
import { GroupToggle } from './GroupToggle.js';
import { Meta } from './Meta.js';
import type { Group } from './rows.js';
import { duration } from './text.js';
import { ToolInput } from './ToolInput.js';
import { ToolResult } from './ToolResult.js';

/** One tool call: what it was asked, what it answered or how it failed, and how long it took. */
export function ToolCard(props: { message: Message; group?: Group; expanded: Expanded; onSources: (m: Message) => void; now: number }) {
  const m = () => props.message;
  const badge = () => toolBadge(m(), props.now);
  return (
    <div class="tool" data-status={m().status ?? 'running'}>
      <Meta message={m()} label={<code class="tool-name">{m().toolName ?? 'tool'}</code>} onSources={props.onSources}>
        <StatusBadge status={badge().status} title={badge().title} />
        <Show when={duration(m().durationMs)}>{(d) => <span class="muted small">{d()}</span>}</Show>
      </Meta>
      <ToolInput id={m().key} name={m().toolName} input={m().input} expanded={props.expanded} />
      <Show when={m().error}>{(error) => <pre class="tool-error" role="note">{error()}</pre>}</Show>
      <Show when={m().result !== undefined && m().result !== null}>
        <ToolResult id={m().key} name={m().toolName} result={m().result} expanded={props.expanded} />
      </Show>
      <Show when={props.group}>{(group) => <GroupToggle group={group()} expanded={props.expanded} />}</Show>
    </div>
  );
}
