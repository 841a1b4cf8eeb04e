const labels: Record<string, string> = { active: 'Active', waiting: 'Waiting', ended: 'Ended', running: 'Running', ok: 'OK', failed: 'Failed' };

/** A conversation's or a tool's status word, coloured by the shared palette. */
export function StatusBadge(props: { status: string }) {
  return (
    <span class="badge" data-tone={props.status}>
      {labels[props.status] ?? props.status}
    </span>
  );
}
