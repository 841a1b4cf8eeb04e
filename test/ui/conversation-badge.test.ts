import { describe, expect, it } from 'vitest';
import { conversationBadge, IDLE_AFTER_MS, toolBadge } from '../../ui/src/conversations/idle.js';

const now = Date.parse('2026-11-30T12:00:00Z');
const at = (msAgo: number) => new Date(now - msAgo).toISOString();

describe('conversationBadge: an open conversation that went quiet reads Idle', () => {
  it('keeps active and waiting while events keep coming', () => {
    expect(conversationBadge({ status: 'active', lastActivityAt: at(IDLE_AFTER_MS - 1000) }, now)).toEqual({ status: 'active' });
    expect(conversationBadge({ status: 'waiting', lastActivityAt: at(5 * 60_000) }, now)).toEqual({ status: 'waiting' });
  });

  it('says idle past the threshold, and what it was, in the tooltip', () => {
    const badge = conversationBadge({ status: 'waiting', lastActivityAt: at(3 * 3_600_000) }, now);
    expect(badge.status).toBe('idle');
    expect(badge.title).toMatch(/^No activity since 3 h ago; waiting for the user at its last event/);
    expect(conversationBadge({ status: 'active', lastActivityAt: at(40 * 86_400_000) }, now).title).toMatch(/active at its last event/);
  });

  it('leaves an ended conversation ended, however old, and an unknown time alone', () => {
    expect(conversationBadge({ status: 'ended', lastActivityAt: at(40 * 86_400_000) }, now)).toEqual({ status: 'ended' });
    expect(conversationBadge({ status: 'active', lastActivityAt: null }, now)).toEqual({ status: 'active' });
  });
});

describe('toolBadge: a call that never answered says so', () => {
  it('keeps running for an hour, then reads No result; finished calls keep their status', () => {
    expect(toolBadge({ status: 'running', startedAt: at(10 * 60_000) }, now)).toEqual({ status: 'running' });
    expect(toolBadge({ startedAt: at(2 * 3_600_000) }, now)).toEqual({ status: 'unanswered', title: 'No result arrived; it started 2 h ago' });
    expect(toolBadge({ status: 'ok', startedAt: at(2 * 3_600_000) }, now)).toEqual({ status: 'ok' });
  });
});
