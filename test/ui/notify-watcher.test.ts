import { describe, expect, it } from 'vitest';
import { decide, MAX_SEEN, notificationText, transitionOf, type Frame, type Transition } from '../../ui/src/notifications/watcher.js';

const S = 'aaaaaaaa-0000-4000-8000-00000000f00d';
const at = (s: number) => new Date(Date.UTC(2026, 10, 25, 9, 0, s)).toISOString();
const base = { project: 'app', title: 'Fix the parser', status: 'active', waitingFor: null, waitingSince: null, endedAt: null };

/** A frame of `type` at second `s`, its conversation as the projection now shows it. */
const frame = (type: string, s: number, conversation: Record<string, unknown> | null): Frame => ({
  type, sessionId: S, capturedAt: at(s), conversation: conversation && { ...base, ...conversation },
});

/** The transitions a page notifies for, frame by frame, remembering what it notified. */
function notified(frames: Frame[], muted: string[] = [], seen: string[] = []): Transition[] {
  const out: Transition[] = [];
  for (const f of frames) {
    const t = transitionOf(f);
    if (!t) continue;
    const d = decide(t, seen, muted);
    seen = d.seen;
    if (d.notify) out.push(t);
  }
  return out;
}

describe('transitionOf: which frames begin a wait or an end', () => {
  it('is the frame of the event that began the wait, with project and title', () => {
    expect(transitionOf(frame('Notification', 2, { status: 'waiting', waitingFor: 'permission', waitingSince: at(2) }))).toEqual({
      key: `${S}|waiting|${at(2)}`, kind: 'permission', sessionId: S, project: 'app', title: 'Fix the parser', at: at(2),
    });
    expect(transitionOf(frame('SessionEnd', 9, { status: 'ended', endedAt: at(9) }))).toMatchObject({ kind: 'ended', key: `${S}|ended|${at(9)}` });
  });

  it('is none for a later event of the same wait, or of an end (a late transcript line)', () => {
    expect(transitionOf(frame('Notification', 62, { status: 'waiting', waitingFor: 'permission', waitingSince: at(2) }))).toBeNull();
    expect(transitionOf(frame('transcript.assistant', 12, { status: 'ended', endedAt: at(9) }))).toBeNull();
  });

  it('is none for a turn that ended without a prompt, for running, and for a frame without a conversation', () => {
    expect(transitionOf(frame('Stop', 3, { status: 'waiting' }))).toBeNull();
    expect(transitionOf(frame('PreToolUse', 3, { status: 'active' }))).toBeNull();
    expect(transitionOf(frame('Notification', 3, null))).toBeNull();
  });

  it('is none for a replayed frame whose conversation has moved on since', () => {
    expect(transitionOf(frame('Notification', 2, { status: 'active' }))).toBeNull();
    expect(transitionOf(frame('Notification', 2, { status: 'waiting', waitingFor: 'input', waitingSince: at(80) }))).toBeNull();
  });
});

describe('decide: one notification per transition', () => {
  const wait = (s: number) => frame('Notification', s, { status: 'waiting', waitingFor: 'permission', waitingSince: at(s) });

  it('notifies waiting → running → waiting twice, and the same frame twice once', () => {
    const frames = [wait(1), frame('PostToolUse', 5, { status: 'active' }), wait(9), wait(9)];
    expect(notified(frames).map((t) => t.at)).toEqual([at(1), at(9)]);
  });

  it('does not notify again what this tab already notified (a reload or a replay)', () => {
    const before = decide(transitionOf(wait(1))!, [], []).seen;
    expect(notified([wait(1)], [], before)).toEqual([]);
  });

  it('notifies nothing for a muted project, and remembers it, so unmuting brings nothing back', () => {
    const d = decide(transitionOf(wait(1))!, [], ['app']);
    expect(d).toEqual({ notify: false, seen: [`${S}|waiting|${at(1)}`] });
    expect(notified([wait(1)], [], d.seen)).toEqual([]);
    expect(notified([wait(1)], ['other'])).toHaveLength(1);
  });

  it('keeps the newest keys only', () => {
    const seen = Array.from({ length: MAX_SEEN }, (_, i) => `k${i}`);
    const d = decide(transitionOf(wait(1))!, seen, []);
    expect(d.seen).toHaveLength(MAX_SEEN);
    expect(d.seen.at(-1)).toBe(`${S}|waiting|${at(1)}`);
    expect(d.seen[0]).toBe('k1');
  });
});

describe('notificationText', () => {
  it('leads with the project and says what it waits for; the body is the title', () => {
    const t = (kind: Transition['kind'], project: string | null, title: string | null): Transition => ({ key: 'k', kind, sessionId: S, project, title, at: at(1) });
    expect(notificationText(t('permission', 'app', 'Fix the parser'))).toEqual({ title: 'app needs your permission', body: 'Fix the parser' });
    expect(notificationText(t('input', 'app', 'x')).title).toBe('app is waiting for your reply');
    expect(notificationText(t('ended', null, null))).toEqual({ title: 'A session ended', body: 'Session aaaaaaaa' });
  });
});
