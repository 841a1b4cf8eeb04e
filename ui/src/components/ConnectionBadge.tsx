import { liveState, type LiveState } from '../lib/live.js';

const labels: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** Whether changes are arriving: live, reconnecting (nothing is lost, it will catch up), or offline. */
export function ConnectionBadge() {
  return (
    <span class="badge" data-tone={liveState()} role="status" aria-live="polite" data-testid="connection">
      <span class="dot" aria-hidden="true" />
      {labels[liveState()]}
    </span>
  );
}
