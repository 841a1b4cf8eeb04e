import type { Message } from './index.js';
import { isHookPromptKey } from './hooks.js';
import { typedPrompt } from './events.js';

export type Keyed = Message & { key: string };

/**
 * A hook and the transcript line of the same thing (a prompt, a compaction) name nothing in
 * common for sure: old prompts have no shared id, some new ones repeat one id for several
 * prompts, and the same text is often typed again. So they are paired when read, by kind, text
 * and time: each hook goes to the nearest line it may belong to, nearest pairs first, each line
 * taking one hook. Pure, so a page, the fidelity check and the tests pair alike.
 */
export const PROMPT_PAIR_MS = 60_000;
const POST_COMPACT_MS = 5 * 60_000;
const PRE_COMPACT_MS = 15 * 60_000;
/** How far around a page the documents it may pair with can lie. */
export const PAIR_REACH_MS = 2 * PRE_COMPACT_MS;

interface Candidate {
  hook: Keyed;
  into: Keyed;
  distance: number;
}

const time = (m: Keyed): number => Date.parse(m.at);
const sameText = (text: string | undefined) => (typedPrompt(text ?? '') ?? text ?? '').replace(/\s+/g, '');

function promptCandidates(docs: Keyed[]): Candidate[] {
  const lines = new Map<string, Keyed[]>();
  for (const doc of docs) {
    if (doc.kind !== 'prompt' || !doc.typed) continue;
    const text = sameText(doc.text);
    lines.set(text, [...(lines.get(text) ?? []), doc]);
  }
  const found: Candidate[] = [];
  for (const hook of docs) {
    if (hook.kind !== 'prompt' || hook.agentId || !isHookPromptKey(hook.key)) continue;
    for (const line of lines.get(sameText(hook.text)) ?? []) {
      const distance = Math.abs(time(line) - time(hook));
      const ids = !hook.promptId || !line.promptId || hook.promptId === line.promptId;
      if (ids && distance <= PROMPT_PAIR_MS) found.push({ hook, into: line, distance });
    }
  }
  return found;
}

/** PostCompact soon after its boundary, PreCompact before it (summarising takes a while); else a Pre takes its Post. */
function compactionCandidates(docs: Keyed[]): Candidate[] {
  const markers = docs.filter((m) => m.kind === 'compaction' && !m.agentId);
  const boundaries = markers.filter((m) => m.stage === 'boundary');
  const found: Candidate[] = [];
  for (const hook of markers) {
    if (hook.stage !== 'pre' && hook.stage !== 'post') continue;
    for (const into of boundaries) {
      const after = time(into) - time(hook);
      const fits = hook.stage === 'pre' ? after >= 0 && after <= PRE_COMPACT_MS : Math.abs(after) <= POST_COMPACT_MS;
      if (fits && (!hook.trigger || !into.trigger || hook.trigger === into.trigger)) found.push({ hook, into, distance: Math.abs(after) });
    }
  }
  return found;
}

function hookOnlyCompactions(docs: Keyed[], taken: Set<string>): Candidate[] {
  const free = docs.filter((m) => m.kind === 'compaction' && !m.agentId && !taken.has(m.key));
  const found: Candidate[] = [];
  for (const hook of free) {
    if (hook.stage !== 'post') continue;
    for (const into of free) {
      const after = time(hook) - time(into);
      if (into.stage === 'pre' && after >= 0 && after <= PRE_COMPACT_MS) found.push({ hook, into, distance: after });
    }
  }
  return found;
}

const order = (a: Candidate, b: Candidate) =>
  a.distance - b.distance || time(a.hook) - time(b.hook) || (a.hook.key < b.hook.key ? -1 : a.hook.key > b.hook.key ? 1 : 0) ||
  (a.into.key < b.into.key ? -1 : a.into.key > b.into.key ? 1 : 0);

function assign(candidates: Candidate[], pairs: Map<string, string>, taken: Set<string>): void {
  // One prompt line takes one hook; a compaction marker takes one PreCompact and one PostCompact.
  const slot = (c: Candidate) => (c.into.kind === 'prompt' ? c.into.key : `${c.into.key}/${c.hook.stage}`);
  for (const c of candidates.sort(order)) {
    if (pairs.has(c.hook.key) || taken.has(slot(c)) || pairs.has(c.into.key)) continue;
    pairs.set(c.hook.key, c.into.key);
    taken.add(slot(c)).add(c.hook.key).add(c.into.key);
  }
}

/** Which document each paired hook document folds into: hook key → the key it joins. */
export function pairHooks(docs: Keyed[]): Map<string, string> {
  const pairs = new Map<string, string>();
  const taken = new Set<string>();
  assign(promptCandidates(docs), pairs, taken);
  assign(compactionCandidates(docs), pairs, taken);
  assign(hookOnlyCompactions(docs, taken), pairs, taken);
  return pairs;
}

/** `into` with what `hook` adds: its provenance, the fields it alone has, and its key to drop. */
function joined(into: Keyed, hooks: Keyed[]): Keyed {
  const next: Keyed = Object.assign({}, into);
  const fields = next as unknown as Record<string, unknown>;
  for (const hook of hooks) {
    for (const [field, value] of Object.entries(hook)) if (fields[field] === undefined && value !== undefined) fields[field] = value;
    next.sources = [...new Set([...next.sources, ...hook.sources])].sort((a, b) => a - b);
    next.pairedKeys = [...(next.pairedKeys ?? []), hook.key];
    if (hook.truncated) next.truncated = true;
  }
  // It keeps its own time and place: the page order and its cursor were made with them.
  next.at = into.at;
  return next;
}

/** A page with its paired hooks folded in: `around` holds the documents near the page they may pair with. */
export function foldPairs(page: Keyed[], around: Keyed[]): Keyed[] {
  const pairs = pairHooks(around);
  const byKey = new Map(around.map((m) => [m.key, m]));
  const absorbed = new Map<string, Keyed[]>();
  for (const [hook, into] of pairs) absorbed.set(into, [...(absorbed.get(into) ?? []), byKey.get(hook)!]);
  return page.filter((m) => !pairs.has(m.key)).map((m) => (absorbed.has(m.key) ? joined(m, absorbed.get(m.key)!) : m));
}
