import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadServerConfig } from '../core/config.js';
import { connect } from '../core/db.js';
import { createProgress, count, megabytes, rate } from '../core/import/progress.js';
import { defaultTranscriptRoots } from '../core/import/transcript-files.js';
import { importTranscripts, type ImportTally } from '../core/import/transcript-import.js';
import { createLogger } from '../core/log.js';
import { openDatabase } from './database.js';

const usage = 'usage: arrakis import [PATH...]';

export interface CommandIo {
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** stderr; progress is rewritten in place when it is a terminal. */
  err?: (text: string) => void;
  tty?: boolean;
  now?: () => number;
}

/**
 * Beyond these, notes of skipped lines are only counted: a folder of half-written files should
 * not flood the terminal. Failures are always shown.
 */
const MAX_NOTES = 20;

export function noteLimiter(note: (text: string) => void) {
  let notes = 0;
  return {
    note(text: string, kind: 'skipped' | 'failed') {
      if (kind === 'failed' || ++notes <= MAX_NOTES) note(text);
    },
    get hidden() {
      return Math.max(0, notes - MAX_NOTES);
    },
  };
}

function summary(t: ImportTally, ms: number): string {
  const rare = [
    t.oversized && `${count(t.oversized)} too long (skipped)`,
    t.unreadable && `${count(t.unreadable)} unreadable files`,
    t.conflict && `${count(t.conflict)} conflicts`,
    t.failed && `${count(t.failed)} failed`,
  ].filter(Boolean);
  return `imported ${count(t.files)} files: ${count(t.lines)} lines, ${count(t.stored)} stored, ${count(t.duplicate)} duplicates, ` +
    `${count(t.malformed)} malformed, ${count(t.nonObject)} not an object, ${count(t.partial)} unfinished (left for the hook)` +
    `${rare.map((text) => `, ${text}`).join('')}; ${megabytes(t.bytes)} in ${(ms / 1000).toFixed(1)} s (${rate(t.bytes, ms)})`;
}

/**
 * `arrakis import [PATH...]`: backfills the log from Claude Code transcripts (by default
 * every folder Claude Code keeps them in). Safe to repeat, and safe beside live capture.
 */
export async function importCommand(args: string[], { env = process.env, home, err = (t) => process.stderr.write(t), tty = process.stderr.isTTY === true, now = () => Date.now() }: CommandIo = {}): Promise<number> {
  let paths: string[];
  try {
    paths = parseArgs({ args, options: {}, allowPositionals: true, strict: true }).positionals;
  } catch (error) {
    err(`arrakis import: ${(error as Error).message} (${usage})\n`);
    return 2;
  }
  const roots = paths.length > 0 ? paths : defaultTranscriptRoots(env, home).filter((root) => existsSync(root));
  const missing = paths.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    err(`arrakis import: no such file or folder: ${missing.join(', ')}\n`);
    return 1;
  }
  if (roots.length === 0) {
    err(`arrakis import: no Claude Code transcripts at ${defaultTranscriptRoots(env, home).join(' or ')}; name the folder: ${usage}\n`);
    return 1;
  }

  const database = await openDatabase(loadServerConfig(env), createLogger({ level: 'warn', write: (line) => err(`${line}\n`) }));
  // The app role may insert into the log; the importer needs nothing more. Two lanes write, one connection looks up.
  const sql = connect(database.url, { max: 3, applicationName: 'arrakis-import' });
  const progress = createProgress({ write: err, tty, now });
  const notes = noteLimiter((text) => progress.note(text));
  const started = now();
  try {
    progress.note(`importing ${roots.join(', ')} into ${database.description}`);
    const tally = await importTranscripts(sql, roots, {
      onNote: notes.note,
      onProgress: (t) => progress.update(() => `${count(t.files)} files, ${count(t.lines)} lines, ${megabytes(t.bytes)} (${rate(t.bytes, now() - started)})`),
    });
    progress.done();
    if (notes.hidden > 0) err(`(${count(notes.hidden)} more notes not shown)\n`);
    err(`${summary(tally, now() - started)}\n`);
    if (tally.stored > 0) err('the projector of `arrakis start` (or `arrakis project`) folds them into the conversations\n');
    if (tally.failed > 0) {
      err(`arrakis import: ${count(tally.failed)} lines could not be stored (see above); the others were\n`);
      return 1;
    }
    return 0;
  } finally {
    progress.done();
    await sql.end({ timeout: 5 });
    await database.close();
  }
}
