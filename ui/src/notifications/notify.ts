import { createSignal } from 'solid-js';
import { navigate } from '../lib/router.js';
import { enabled, muted, noteProject, saveSeenKeys, seenKeys } from './settings.js';
import { decide, notificationText, transitionOf, type Frame } from './watcher.js';

/** Undefined outside a secure context (https, or localhost) and in some browsers. */
export const supported = (): boolean => typeof window.Notification === 'function';

const current = (): NotificationPermission => (supported() ? Notification.permission : 'denied');
const [permission, setPermission] = createSignal<NotificationPermission>(current());
export { permission };

// The reader may allow or block the site in the browser's settings at any time.
window.addEventListener('focus', () => setPermission(current()));

/** Asks the browser, only ever from the reader's click. */
export async function requestPermission(): Promise<NotificationPermission> {
  if (!supported()) return 'denied';
  const answer = await Notification.requestPermission();
  setPermission(answer);
  return answer;
}

export const active = (): boolean => enabled() && permission() === 'granted';

/** One stream frame: a notification when it begins a wait or an end the reader wants to hear of. */
export function onFrame(frame: Frame): void {
  if (!active()) return;
  const transition = transitionOf(frame);
  if (!transition) return;
  const decision = decide(transition, seenKeys(), muted());
  saveSeenKeys(decision.seen);
  if (!decision.notify) return;
  noteProject(transition.project);
  const { title, body } = notificationText(transition);
  // The tag makes two tabs of the page show one notification for the same transition.
  const notification = new Notification(title, { body, tag: transition.key });
  notification.onclick = () => {
    window.focus();
    navigate(`/conversations/${encodeURIComponent(transition.sessionId)}`);
    notification.close();
  };
}
