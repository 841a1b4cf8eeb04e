import { ago } from './ago.js';

/** After this long without an event, an open conversation is shown as idle. */
export const IDLE_AFTER_MS = 60 * 60 * 1000;

export interface Badge {
  status: string;
  title?: string;
}

/**
 * Claude Code sends nothing when a terminal is closed, a process is killed or a laptop
 * sleeps, so a session that ended that way stays active or waiting in the log for good. The
 * badge says what is known, that nothing happened for a while; the projected status is
 * unchanged, and the status filter still goes by it.
 */
export function conversationBadge(c: { status: string; lastActivityAt?: string | null }, now: number): Badge {
  if (c.status !== 'active' && c.status !== 'waiting') return { status: c.status };
  const last = Date.parse(c.lastActivityAt ?? '');
  if (!(now - last > IDLE_AFTER_MS)) return { status: c.status };
  const was = c.status === 'waiting' ? 'waiting for the user' : 'active';
  return { status: 'idle', title: `No activity since ${ago(c.lastActivityAt, now)}; ${was} at its last event (Claude Code sends none when a terminal is closed)` };
}

/**
 * A tool call still running an hour after it started will, as a rule, never report: its
 * session ended without a word, or the result was lost with it. Said so, not "Running".
 */
export function toolBadge(t: { status?: string; startedAt?: string }, now: number): Badge {
  const status = t.status ?? 'running';
  const started = Date.parse(t.startedAt ?? '');
  if (status !== 'running' || !(now - started > IDLE_AFTER_MS)) return { status };
  return { status: 'unanswered', title: `No result arrived; it started ${ago(t.startedAt, now)}` };
}
