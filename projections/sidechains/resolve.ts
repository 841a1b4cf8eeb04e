import type { SidechainsDoc } from './index.js';

/** Which run each sidechain line is in, and which Task call started each run. */
export interface SidechainRuns {
  /** uuid of a sidechain line → its run's id (`sidechain-<uuid of the run's first line>`). */
  runOfLine: Map<string, string>;
  /** Task tool_use id → the run it started. */
  runOfTask: Map<string, string>;
}

const runId = (root: string) => `sidechain-${root}`;
const same = (text: string) => text.replace(/\s+/g, '');

/** Pure. A line whose chain breaks off (its parent not a sidechain line) starts a run of its own. */
export function runsOf(doc: SidechainsDoc | undefined): SidechainRuns {
  const runOfLine = new Map<string, string>();
  const runOfTask = new Map<string, string>();
  if (!doc) return { runOfLine, runOfTask };
  const rootOf = (uuid: string): string => {
    const path: string[] = [];
    let at = uuid;
    // The seen check stops a cycle a damaged file could hold.
    for (let parent = doc.parents[at]; parent && parent in doc.parents && !path.includes(parent); parent = doc.parents[at]) {
      path.push(at);
      const known = runOfLine.get(parent);
      if (known) return known.slice('sidechain-'.length);
      at = parent;
    }
    return at;
  };
  for (const uuid of Object.keys(doc.parents)) runOfLine.set(uuid, runId(rootOf(uuid)));
  // Each run takes the latest free Task call with its prompt made before it started.
  const tasks = Object.entries(doc.tasks).sort(([, a], [, b]) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const roots = Object.entries(doc.prompts).filter(([uuid]) => rootOf(uuid) === uuid).sort(([, a], [, b]) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const taken = new Set<string>();
  for (const [root, { prompt, at }] of roots) {
    const task = tasks.filter(([id, t]) => !taken.has(id) && t.at <= at && same(t.prompt) === same(prompt)).at(-1);
    if (!task) continue;
    taken.add(task[0]);
    runOfTask.set(task[0], runOfLine.get(root) ?? runId(root));
  }
  return { runOfLine, runOfTask };
}
