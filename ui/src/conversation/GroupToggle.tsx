import type { Expanded } from './expand.js';
import type { Group } from './rows.js';

/** Opens or closes a subagent run nested under the row that started it. */
export function GroupToggle(props: { group: Group; expanded: Expanded }) {
  const g = () => props.group;
  return (
    <button type="button" class="group-toggle" aria-expanded={g().open} onClick={() => props.expanded.toggle(`agent:${g().agentId}`)}>
      {g().open ? '▾' : '▸'} Subagent{g().agentType ? ` ${g().agentType}` : ''}: {g().count.toLocaleString()} {g().count === 1 ? 'message' : 'messages'}
      {g().running ? ' · running' : ''}
    </button>
  );
}
