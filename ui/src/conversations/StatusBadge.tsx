const labels: Record<string, string> = { active: 'Active', waiting: 'Waiting', ended: 'Ended', idle: 'Idle', unanswered: 'No result', running: 'Running', ok: 'OK', failed: 'Failed' };

/** A conversation's or a tool's status word, coloured by the shared palette. */
export function StatusBadge(props: { status: string; title?: string }) {
  return (
    <span class="badge" data-tone={props.status} title={props.title}>
      {labels[props.status] ?? props.status}
    </span>
  );
}
