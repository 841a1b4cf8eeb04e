/**
 * `arrakis import` throughput and memory over a generated transcript set, beside a plain
 * line-by-line read of the same files (and the same read turned into events, without the
 * database) measured in the same run. `tsx bench/import.ts [--json] [--mb N]`. Each step runs
 * in a process of its own, so its peak memory (the kernel's high-water mark) is its own.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connect } from '../core/db.js';
import { readLines } from '../core/import/line-reader.js';
import { transcriptFiles, transcriptSession } from '../core/import/transcript-files.js';
import { importTranscripts } from '../core/import/transcript-import.js';
import { transcriptLineEvent } from '../core/transcript-line.js';
import { openBenchDatabase } from './support/database.js';
import { runBench } from './support/main.js';
import { generateTranscripts } from './support/transcript-set.js';

const { values: args } = parseArgs({
  options: { json: { type: 'boolean', default: false }, mb: { type: 'string', default: '500' }, phase: { type: 'string' }, root: { type: 'string' }, url: { type: 'string' } },
});
const targetBytes = Number(args.mb) * 1024 * 1024;
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const MB = 1024 * 1024;

/** Peak resident set of this process so far: the kernel's high-water mark, else the current RSS. */
function peakRssMb(): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // Not Linux.
  }
  return process.memoryUsage().rss / MB;
}

/** The baselines: every line read (and, with `events`, made into the event the import would append), nothing stored. */
async function readAll(root: string, events: boolean): Promise<number> {
  let lines = 0;
  for await (const path of transcriptFiles(root)) {
    const sessionId = transcriptSession(path);
    for await (const items of readLines(createReadStream(path, { highWaterMark: MB }))) {
      for (const item of items) {
        if (item.kind !== 'line') continue;
        lines++;
        if (events) transcriptLineEvent(item.text, { path, offset: item.offset, sessionId, capturedAt: '2026-01-01T00:00:00.000Z' });
      }
    }
  }
  return lines;
}

interface Phase {
  seconds: number;
  lines: number;
  stored: number;
  duplicate: number;
  peakRssMb: number;
}

/** One measured step, run in a process of its own (`--phase`) so that its peak memory is its own. */
async function runPhase(phase: string, root: string, url: string): Promise<Phase> {
  const started = performance.now();
  let tally = { lines: 0, stored: 0, duplicate: 0 };
  if (phase === 'read' || phase === 'events') tally.lines = await readAll(root, phase === 'events');
  else {
    const sql = connect(url, { max: 3, applicationName: 'arrakis-bench-import' });
    try {
      tally = await importTranscripts(sql, [root]);
    } finally {
      await sql.end({ timeout: 5 });
    }
  }
  return { ...tally, seconds: (performance.now() - started) / 1000, peakRssMb: peakRssMb() };
}

function phaseInChild(phase: string, root: string, url: string): Phase {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--phase', phase, '--root', root, '--url', url], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`the ${phase} phase failed (exit ${child.status})`);
  return JSON.parse(child.stdout) as Phase;
}

async function main(cleanup: Array<() => Promise<void>>) {
  const root = await mkdtemp(join(tmpdir(), 'arrakis-bench-import-'));
  cleanup.push(() => rm(root, { recursive: true, force: true }));
  const db = await openBenchDatabase(log);
  cleanup.push(() => db.close());

  if (!(targetBytes > 0)) throw new Error(`--mb must be a positive number, got ${args.mb}`);
  log(`writing ~${args.mb} MB of transcripts to ${root}`);
  const set = await generateTranscripts(root, targetBytes);
  const mb = set.bytes / MB;
  log(`${set.files} files, ${mb.toFixed(0)} MB; reading them (baselines)`);
  const read = phaseInChild('read', root, db.url);
  const parsed = phaseInChild('events', root, db.url);
  log(`importing ${read.lines} lines`);
  const imported = phaseInChild('import', root, db.url);
  log('importing again (every line a duplicate)');
  const again = phaseInChild('import', root, db.url);
  if (imported.stored !== read.lines || again.duplicate !== read.lines) {
    throw new Error(`expected ${read.lines} lines stored then duplicates, got ${imported.stored} and ${again.duplicate}`);
  }

  const rate = (m: Phase) => mb / m.seconds;
  const figures = {
    files: set.files,
    mb,
    lines: read.lines,
    baseline_read_mb_s: rate(read),
    baseline_events_mb_s: rate(parsed),
    import_mb_s: rate(imported),
    import_lines_s: read.lines / imported.seconds,
    import_vs_read: rate(imported) / rate(read),
    import_vs_events: rate(imported) / rate(parsed),
    reimport_mb_s: rate(again),
    import_peak_rss_mb: Math.max(imported.peakRssMb, again.peakRssMb),
    baseline_peak_rss_mb: Math.max(read.peakRssMb, parsed.peakRssMb),
  };
  if (args.json) process.stdout.write(`${JSON.stringify({ figures })}\n`);
  else {
    const row = (name: string, m: Phase, note = '') =>
      `${name.padEnd(34)} ${rate(m).toFixed(1).padStart(7)} MB/s ${Math.round(read.lines / m.seconds).toLocaleString('en-US').padStart(9)} lines/s  peak RSS ${m.peakRssMb.toFixed(0).padStart(4)} MB${note}`;
    process.stdout.write(`${set.files} files, ${mb.toFixed(0)} MB, ${read.lines.toLocaleString('en-US')} lines (${db.source})\n`);
    process.stdout.write(`${row('baseline: read lines', read)}\n`);
    process.stdout.write(`${row('baseline: read + make events', parsed)}\n`);
    process.stdout.write(`${row('import (all new)', imported, `  ${figures.import_vs_read.toFixed(2)}× the read, ${figures.import_vs_events.toFixed(2)}× read + events`)}\n`);
    process.stdout.write(`${row('import again (all duplicates)', again)}\n`);
    process.stdout.write('targets: import ≥ 20 MB/s, peak RSS < 300 MB\n');
  }
}

if (args.phase) {
  runPhase(args.phase, args.root!, args.url!).then(
    (phase) => process.stdout.write(`${JSON.stringify(phase)}\n`),
    (error: Error) => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
} else {
  runBench(main);
}
