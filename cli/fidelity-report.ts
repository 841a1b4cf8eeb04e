import { repeatedPrompts, resultsOfUses, type FileCounts } from './fidelity-files.js';
import type { ShownCounts } from './fidelity-shown.js';

/** One check: `explained` says a known reason accounts for a difference (told in the note). */
export interface Row { check: string; expected: string | number; shown: string | number; note: string; bad: boolean }

const row = (check: string, expected: number, shown: number, explain: string | null, hint = ''): Row => {
  const differs = expected !== shown;
  return { check, expected, shown, note: differs ? (explain ?? hint) : '', bad: differs && explain === null };
};

/** Sets files against read models for one session (or the TOTAL of all). */
export function compare(f: FileCounts, s: ShownCounts): Row[] {
  const rows: Row[] = [];
  const hookOnly = f.hookLogLines > 0 && f.prompts === 0 ? `hook-stdin log (${f.hookLogLines} lines), not a transcript` : null;
  const repeats = repeatedPrompts(f);
  rows.push(row('prompts', f.prompts, s.prompts, hookOnly, repeats > 0 ? `UNEXPLAINED: ${repeats} repeated prompt texts (collapsed?)` : 'UNEXPLAINED'));
  rows.push(row('assistant text', f.assistantText, s.assistantText, hookOnly));
  rows.push(row('thinking', f.thinking, s.thinking, hookOnly));
  rows.push(row('tool_use ids', f.toolUses.size, s.tools, hookOnly));
  rows.push(row('  with results', resultsOfUses(f, f.toolResults), s.toolsDone, hookOnly));
  rows.push(row('  errors', resultsOfUses(f, f.toolErrors), s.toolsFailed, hookOnly));
  const runs = f.agents.size + f.sidechainRuns;
  rows.push(row('subagent runs', runs, s.agents.size, hookOnly, f.sidechainRuns > 0 ? `UNEXPLAINED: ${f.sidechainRuns} isSidechain runs carry no agent id` : 'UNEXPLAINED'));
  rows.push(row('  attached', s.agents.size, s.attached.size, f.agentCalls === 0 ? 'no Agent/Task call in the files: detached' : null,
    `${s.agents.size - s.attached.size} detached`));
  rows.push(row('compactions', f.compactions, s.compactionEntries, hookOnly));
  rows.push(row('  conversation', f.compactions, s.compactions ?? 0, hookOnly ?? (s.compactions === null ? 'no conversation' : null)));
  rows.push({ check: 'title', expected: '-', shown: s.title === null ? '-' : JSON.stringify(s.title.slice(0, 40)), note: `source ${s.titleSource ?? '-'}`, bad: false });
  return rows;
}

export function table(rows: Row[]): string {
  const cells = [['check', 'expected', 'shown', 'note'], ...rows.map((r) => [r.check, String(r.expected), String(r.shown), r.note])];
  const widths = [0, 1, 2].map((i) => Math.max(...cells.map((c) => c[i]!.length)));
  return cells.map((c) => [c[0]!.padEnd(widths[0]!), c[1]!.padStart(widths[1]!), c[2]!.padStart(widths[2]!), c[3]].join('  ').trimEnd()).join('\n');
}
