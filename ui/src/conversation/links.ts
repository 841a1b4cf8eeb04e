import type { Message } from './api.js';

const PREFIX = '#m-';

/**
 * A message's anchor, `#m-<key>`. Keys are the projection's own (`prompt:<session>:<line uuid>`,
 * `tool:<session>:<tool_use_id>`, …), made from the log, so the same after a reload or a
 * rebuild. The session, already in the path, is left out (`prompt::<uuid>`); the rest is
 * percent-encoded, colons kept, so that any key survives the address bar.
 */
export function anchorOf(key: string, sessionId: string): string {
  const [kind, session, ...rest] = key.split(':');
  const short = session === sessionId && rest.length > 0 ? `${kind}::${rest.join(':')}` : key;
  return PREFIX + encodeURIComponent(short).replace(/%3A/gi, ':');
}

/** The message key an address's hash points at, or null when it is no message anchor. */
export function keyOfHash(hash: string, sessionId: string): string | null {
  if (!hash.startsWith(PREFIX) || hash.length === PREFIX.length) return null;
  let short: string;
  try {
    short = decodeURIComponent(hash.slice(PREFIX.length));
  } catch {
    return null;
  }
  // A session id is never empty, so `kind::rest` can only be the shortened form.
  const elided = /^([^:]+)::(.+)$/.exec(short);
  return elided ? `${elided[1]}:${sessionId}:${elided[2]}` : short;
}

/** The absolute address of a message: its conversation's page with the message's anchor. */
export const linkTo = (m: Message): string =>
  `${window.location.origin}/conversations/${encodeURIComponent(m.sessionId)}${anchorOf(m.key, m.sessionId)}`;
