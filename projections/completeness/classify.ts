import { holes } from './coverage.js';
import type { AgentCheck, CompletenessDoc, FileCheck, PromptCheck, SessionCheck, ToolCheck, TurnCheck } from './evolve.js';
import type { Gap, SessionCompleteness } from './report.js';

const noSession: SessionCheck = {
  kind: 'session', sessionId: '', hookTypes: {}, firstHookAt: null, lastHookAt: null, lastLineAt: null, lines: 0,
  retried: 0, maxAttempt: 0, late: 0, maxDelayMs: 0, host: null, expected: 0, present: 0, open: 0,
};

/** Why a hook of `type` may be missing at `at`, or null when nothing explains it. */
function hookMissing(s: SessionCheck, type: string, at: string | null): string | null {
  if (Object.keys(s.hookTypes).length === 0) return 'no hook event for this session: hooks not installed then, or imported history';
  if (!s.hookTypes[type]) return `no ${type} hook in this session: that event type is not registered`;
  if (at !== null && s.firstHookAt !== null && at < s.firstHookAt) return 'before the hook was installed';
  // At or after the session's last hook event: it is still running, or it was interrupted.
  if (at !== null && s.lastHookAt !== null && at >= s.lastHookAt) return 'at or after the last hook event: the session was interrupted or is still running';
  return null;
}

/** Why transcript lines may be missing after a hook event at `at`, or null. */
function lineMissing(s: SessionCheck, at: string | null): string | null {
  if (s.lines === 0) return 'no transcript line for this session: transcript deleted or not shipped';
  // Lines ship with the session's next hook event: none came after this one yet.
  if (at !== null && s.lastHookAt !== null && at >= s.lastHookAt) return 'after the last hook event: its lines ship with the next one';
  return null;
}

const gap = (kind: Gap['kind'], missing: string, at: string | null, reason: string | null, positions: number[]): Gap => ({
  kind, missing, at, expected: reason !== null, reason: reason ?? 'unexplained', positions,
});

function toolGaps(t: ToolCheck, s: SessionCheck): Gap[] {
  const positions = Object.values(t.seen);
  const label = `${t.name ?? 'tool'} ${t.toolUseId}`;
  const out: Gap[] = [];
  if (t.seen.line === undefined) out.push(gap('tool', `transcript tool_use of ${label}`, t.at, lineMissing(s, t.at), positions));
  if (t.seen.pre === undefined) out.push(gap('tool', `PreToolUse of ${label}`, t.at, hookMissing(s, 'PreToolUse', t.at), positions));
  if (t.seen.post === undefined && t.seen.denied === undefined) {
    const denied = t.seen.pre !== undefined && t.seen.result === undefined ? 'no tool_result either: the tool was denied or interrupted' : null;
    out.push(gap('tool', `PostToolUse of ${label}`, t.at, hookMissing(s, 'PostToolUse', t.at) ?? denied, positions));
  }
  return out;
}

function promptGaps(p: PromptCheck, s: SessionCheck): Gap[] {
  const text = `"${p.text.length > 60 ? `${p.text.slice(0, 60)}…` : p.text}"`;
  if (p.hooks > p.lines) return Array.from({ length: p.hooks - p.lines }, () => gap('prompt', `transcript line of prompt ${text}`, p.at, lineMissing(s, p.at), [p.position]));
  return Array.from({ length: p.lines - p.hooks }, () => gap('prompt', `UserPromptSubmit of prompt ${text}`, p.at, hookMissing(s, 'UserPromptSubmit', p.at), [p.position]));
}

const quoted = (text: string) => `"${text.length > 60 ? `…${text.slice(-60)}` : text}"`;

/** A Stop's reply, or a SubagentStop's run, that no transcript line holds. */
function closeGaps(c: TurnCheck | AgentCheck, s: SessionCheck): Gap[] {
  if (c.open <= 0) return [];
  const missing = c.kind === 'turn' ? `transcript reply ${quoted(c.text)} that a Stop closed its turn with` : `transcript of subagent ${c.agentId} that a SubagentStop closed`;
  return Array.from({ length: c.open }, () => gap(c.kind, missing, c.at, lineMissing(s, c.at), [c.position]));
}

function fileGaps(f: FileCheck): Gap[] {
  return holes(f.ranges).map((h) => ({
    ...gap('range', `bytes ${h.from}–${h.to} of ${f.file}`, h.noticedAt,
      h.afterPosition === null ? 'written before capture began: `arrakis import` fills it' : null,
      [h.afterPosition, h.beforePosition].filter((p): p is number => p !== null)),
    range: { file: f.file, path: f.path, from: h.from, to: h.to },
  }));
}

/** A session's documents, read together, as what is missing and why. */
export function classifySession(sessionId: string, docs: readonly CompletenessDoc[]): SessionCompleteness {
  const session = docs.find((d): d is SessionCheck => d.kind === 'session') ?? { ...noSession, sessionId };
  const gaps = docs.flatMap((d) => {
    if (d.kind === 'tool') return toolGaps(d, session);
    if (d.kind === 'prompt') return promptGaps(d, session);
    if (d.kind === 'file') return fileGaps(d);
    if (d.kind === 'turn' || d.kind === 'agent') return closeGaps(d, session);
    if (d.kind !== 'session') return [];
    const reason = d.hookTypes.UserPromptSubmit ? 'no transcript line shipped: transcript deleted or unreadable' : 'no prompt yet: Claude Code writes the transcript from the first prompt';
    return d.open > 0 ? [gap('session', 'transcript lines after SessionStart', d.firstHookAt, reason, [])] : [];
  }).sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''));
  const explained = gaps.filter((g) => g.expected).length;
  const expected = docs.reduce((n, d) => n + d.expected, 0) - explained;
  const present = docs.reduce((n, d) => n + d.present, 0);
  return {
    sessionId,
    host: session.host,
    expected,
    present,
    rate: expected <= 0 ? 1 : Math.min(1, present / expected),
    unexplained: gaps.length - explained,
    explained,
    gaps,
    hooks: { types: session.hookTypes, retried: session.retried, maxAttempt: session.maxAttempt, late: session.late, maxDelayMs: session.maxDelayMs ?? 0 },
  };
}
