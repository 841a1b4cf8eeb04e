import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { connect } from '../core/db.js';
import { readLines } from '../core/import/line-reader.js';
import { transcriptFiles } from '../core/import/transcript-files.js';
import { importTranscripts, type ImportTally } from '../core/import/transcript-import.js';
import { parseObjectLine } from '../core/json-line.js';
import { migrate } from '../core/migrate.js';
import { transcriptFileKey } from '../core/transcript-line.js';
import { startProjector } from '../projections/engine/projector.js';
import { allProjections } from '../projections/index.js';
import type { Json } from '../projections/messages/events.js';
import { countFile, emptyCounts, type FileCounts } from './fidelity-files.js';
import { compare, table, type Row } from './fidelity-report.js';
import { shownCounts, type ShownCounts } from './fidelity-shown.js';

/**
 * `npm run fidelity -- PATH...`: imports transcripts into a throwaway database, projects them,
 * and sets what the files hold beside what the read models show. Exit 1 on an unexplained difference.
 */
async function readFiles(roots: string[]) {
  const bySession = new Map<string, FileCounts>();
  for (const root of roots) {
    for await (const path of transcriptFiles(root)) {
      const lines: Json[] = [];
      for await (const items of readLines(createReadStream(path) as AsyncIterable<Buffer>)) {
        for (const item of items) {
          if (item.kind !== 'line' || item.text.trim() === '') continue;
          const parsed = parseObjectLine(item.text);
          if ('value' in parsed) lines.push(parsed.value);
        }
      }
      countFile(lines, transcriptFileKey(path), bySession);
    }
  }
  return bySession;
}

function mergeCounts(all: FileCounts[]): FileCounts {
  const t = emptyCounts();
  all.forEach((c, i) => {
    t.prompts += c.prompts; t.assistantText += c.assistantText; t.thinking += c.thinking; t.agentCalls += c.agentCalls;
    t.sidechainRuns += c.sidechainRuns; t.compactions += c.compactions; t.hookLogLines += c.hookLogLines;
    for (const [k, n] of c.promptTexts) t.promptTexts.set(`${i}:${k}`, n);
    // Ids are per session (forks copy them), so the session's index keeps them apart.
    for (const key of ['toolUses', 'toolResults', 'toolErrors', 'agents'] as const) for (const id of c[key]) t[key].add(`${i}:${id}`);
  });
  return t;
}

function mergeShown(all: ShownCounts[]): ShownCounts {
  const sum = (k: 'prompts' | 'assistantText' | 'thinking' | 'tools' | 'toolsDone' | 'toolsFailed' | 'compactionEntries') => all.reduce((n, s) => n + s[k], 0);
  const agents = new Set<string>(), attached = new Set<string>();
  all.forEach((s, i) => { s.agents.forEach((a) => agents.add(`${i}:${a}`)); s.attached.forEach((a) => attached.add(`${i}:${a}`)); });
  return { prompts: sum('prompts'), assistantText: sum('assistantText'), thinking: sum('thinking'), tools: sum('tools'), toolsDone: sum('toolsDone'),
    toolsFailed: sum('toolsFailed'), compactionEntries: sum('compactionEntries'), agents, attached,
    compactions: all.reduce((n, s) => n + (s.compactions ?? 0), 0), title: null, titleSource: null };
}

export function lineRows(t: ImportTally): Row[] {
  const read = t.lines + t.partial + t.oversized;
  const stored = t.stored + t.duplicate;
  const skipped = t.partial + t.oversized;
  const lost = read - stored - skipped;
  return [
    { check: 'lines read', expected: read, shown: read, note: '', bad: false },
    { check: 'lines stored', expected: read - skipped, shown: stored, note: lost === 0 ? (skipped ? 'the skipped ones below' : '') : `UNEXPLAINED: ${lost} lost`, bad: lost !== 0 },
    { check: '  skipped: unfinished', expected: t.partial, shown: t.partial, note: t.partial ? 'last line without newline' : '', bad: false },
    { check: '  skipped: too long', expected: t.oversized, shown: t.oversized, note: '', bad: false },
    { check: '  stored raw: not JSON', expected: t.malformed + t.nonObject, shown: t.malformed + t.nonObject, note: t.malformed + t.nonObject ? 'counted nowhere else' : '', bad: false },
  ];
}

export async function fidelity(roots: string[], adminUrl: string, out: (t: string) => void): Promise<{ code: number; tally: ImportTally }> {
  const name = `arrakis_fidelity_${randomBytes(6).toString('hex')}`;
  const admin = connect(adminUrl, { max: 1 });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = connect(url.toString(), { max: 4, applicationName: 'arrakis-fidelity' });
  try {
    await migrate(sql);
    const tally = await importTranscripts(sql, roots);
    const projector = await startProjector(sql, { projections: allProjections });
    await projector.settled();
    await projector.stop();
    const files = await readFiles(roots);
    const rows: Row[] = [];
    const shown: ShownCounts[] = [];
    for (const [session, counts] of files) {
      const s = await shownCounts(sql, session);
      shown.push(s);
      const r = compare(counts, s);
      rows.push(...r);
      const kind = counts.hookLogLines > 0 ? ` (${counts.hookLogLines} hook-stdin log lines: not transcript lines, stored raw)` : '';
      out(`session ${session}${kind}\n${table(r)}\n\n`);
    }
    const total = [...lineRows(tally), ...compare(mergeCounts([...files.values()]), mergeShown(shown)).filter((r) => r.check !== 'title')];
    out(`TOTAL (${tally.files} files, ${files.size} sessions)\n${table(total)}\n`);
    const bad = [...rows, ...total].filter((r) => r.bad).length;
    out(bad ? `\n${bad} unexplained differences\n` : '\nno unexplained differences\n');
    return { code: bad ? 1 : 0, tally };
  } finally {
    await sql.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  }
}

if (process.argv[1]?.endsWith('fidelity.ts')) {
  const roots = process.argv.slice(2);
  if (roots.length === 0) {
    process.stderr.write('usage: npm run fidelity -- PATH...\n');
    process.exit(2);
  }
  const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  fidelity(roots, adminUrl, (t) => process.stdout.write(t)).then(({ code }) => process.exit(code), (error) => {
    process.stderr.write(`fidelity: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
