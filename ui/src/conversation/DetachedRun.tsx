import type { Expanded } from './expand.js';
import type { Group } from './rows.js';
import { GroupToggle } from './GroupToggle.js';
import { clock } from './text.js';

/**
 * The header of a subagent run that nothing in the timeline started (no tool call, no marker):
 * it stands where the run began and opens to show its messages. Drawn like a marker, since it
 * is not a message of its own; the members, once opened, carry their own log links.
 */
export function DetachedRun(props: { group: Group; at: string; expanded: Expanded }) {
  return (
    <article class="msg" data-kind="subagent" data-detached={props.group.detached}>
      <div class="marker">
        <header class="msg-meta">
          <span class="msg-label">Detached subagent run</span>
          <span class="msg-end">
            <time dateTime={props.at} title={new Date(props.at).toLocaleString()}>
              {clock(props.at)}
            </time>
          </span>
        </header>
        <GroupToggle group={props.group} expanded={props.expanded} />
      </div>
    </article>
  );
}
