import type { EventSourceMessage } from 'eventsource-parser';

interface ChangeData {
  position: number;
  type: string;
  sessionId: string;
  capturedAt: string;
  conversation?: { title?: string | null; project?: string | null; status?: string } | null;
}

const time = (iso: string) => (iso.length >= 19 ? iso.slice(11, 19) : iso);

/** One line per frame, or null for frames not worth a line (or filtered out by type). */
export function formatFrame(frame: EventSourceMessage, { type }: { type?: string | null } = {}): string | null {
  if (frame.event === 'resync') {
    const { reason } = JSON.parse(frame.data) as { reason?: string };
    return `-- resync: ${reason ?? 'the server could not replay what was missed'}; showing live changes from here`;
  }
  if (frame.event !== 'change') return null;
  const change = JSON.parse(frame.data) as ChangeData;
  if (type && change.type !== type) return null;
  const conversation = change.conversation;
  const context = [conversation?.project, conversation?.title].filter(Boolean).join(': ');
  // Titles come from prompts: keep control characters off the terminal.
  const safe = context.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return `${time(change.capturedAt)}  #${change.position}  ${change.type.padEnd(22)} ${change.sessionId.slice(0, 8)}  ${safe}`.trimEnd();
}
