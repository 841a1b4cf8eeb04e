/**
 * From the live stream's frames to the moments worth a browser notification: Claude Code
 * asked the user for something (a permission, or a reply after its idle prompt), or a
 * session ended. Pure, so the rules are tested without a browser (watcher.test.ts).
 */

/** The part of a stream frame (lib/live.ts Change) this reads. */
export interface Frame {
  type: string;
  sessionId: string;
  capturedAt: string;
  conversation: Record<string, unknown> | null;
}

export type TransitionKind = 'permission' | 'input' | 'ended';

export interface Transition {
  /** One per wait or end of a session: what was notified is remembered by it. */
  key: string;
  kind: TransitionKind;
  sessionId: string;
  project: string | null;
  title: string | null;
  at: string;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * A frame carries its conversation as it is now, not as its event left it, and a page sees
 * only events appended after it connected. So a wait or an end counts only on the frame of
 * the event that began it (its time is the event's): a later event of the same wait, a frame
 * replayed after a reconnect whose conversation has moved on, or one for a session that was
 * already waiting before the page loaded, is no transition.
 */
export function transitionOf(frame: Frame): Transition | null {
  const c = frame.conversation;
  if (!c) return null;
  const at = frame.capturedAt;
  let kind: TransitionKind | null = null;
  if (c.status === 'ended' && c.endedAt === at) kind = 'ended';
  else if (c.status === 'waiting' && c.waitingSince === at && (c.waitingFor === 'permission' || c.waitingFor === 'input')) kind = c.waitingFor;
  if (!kind) return null;
  const status = kind === 'ended' ? 'ended' : 'waiting';
  return { key: `${frame.sessionId}|${status}|${at}`, kind, sessionId: frame.sessionId, project: text(c.project), title: text(c.title), at };
}

export interface Decision {
  notify: boolean;
  /** The keys to remember afterwards (the decided one added, the oldest dropped past the cap). */
  seen: string[];
}

/** Enough to outlast any replay; sessionStorage stays small. */
export const MAX_SEEN = 200;

/** Each transition once, and none for a muted project (still remembered, so unmuting does not bring it back). */
export function decide(transition: Transition, seen: readonly string[], muted: readonly string[]): Decision {
  if (seen.includes(transition.key)) return { notify: false, seen: [...seen] };
  const next = [...seen, transition.key].slice(-MAX_SEEN);
  return { notify: transition.project === null || !muted.includes(transition.project), seen: next };
}

const what: Record<TransitionKind, string> = {
  permission: 'needs your permission',
  input: 'is waiting for your reply',
  ended: 'ended',
};

/** The notification's words: the project leads, as a glance at the list would show it. */
export function notificationText(t: Transition): { title: string; body: string } {
  const project = t.project ?? 'A session';
  return { title: `${project} ${what[t.kind]}`, body: t.title ?? `Session ${t.sessionId.slice(0, 8)}` };
}
