import type { Expanded } from './expand.js';
import type { Group } from './rows.js';

/** Opens or closes a subagent run nested under the row that started it (or under its detached-run header). */
export function GroupToggle(props: { group: Group; expanded: Expanded }) {
  const g = () => props.group;
  // A detached run's header already says "detached subagent run": the toggle names its kind.
  const label = () => g().detached ?? `Subagent${g().agentType ? ` ${g().agentType}` : ''}`;
  return (
    <button type="button" class="group-toggle" aria-expanded={g().open} onClick={() => props.expanded.toggle(`agent:${g().agentId}`)}>
      {g().open ? '▾' : '▸'} {label()}: {g().count.toLocaleString()} {g().count === 1 ? 'message' : 'messages'}
      {g().running ? ' · running' : ''}
    </button>
  );
}
