export type Connection = 'connecting' | 'connected' | 'unreachable';

const labels: Record<Connection, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  unreachable: 'Unreachable',
};

/** Whether this page can talk to the Arrakis server at all, separate from what the server says about itself. */
export function ConnectionBadge(props: { connection: Connection }) {
  return (
    <span class="badge" data-tone={props.connection} role="status">
      <span class="dot" aria-hidden="true" />
      {labels[props.connection]}
    </span>
  );
}
