import { createWriteStream, existsSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { loadServerConfig } from '../core/config.js';
import { connect } from '../core/db.js';
import { exportLog } from '../core/import/log-export.js';
import { createProgress, count, megabytes, rate } from '../core/import/progress.js';
import { createLogger } from '../core/log.js';
import { openDatabase } from './database.js';
import type { CommandIo } from './import.js';

const usage = 'usage: arrakis export [--out FILE] [--before DATE] [--since DATE]';

export interface ExportIo extends CommandIo {
  /** Where the export goes without --out; stdout by default. */
  stdout?: Writable & { isTTY?: boolean };
}

const dateOption = (text: string | undefined): Date | null => (text === undefined ? null : new Date(text));

/**
 * `arrakis export`: the log as gzip-compressed JSONL, for safekeeping; `arrakis import-log`
 * restores it. A file is written under a temporary name and renamed once complete, so an
 * interrupted export never looks like a finished one.
 */
export async function exportCommand(args: string[], { env = process.env, err = (t) => process.stderr.write(t), tty = process.stderr.isTTY === true, now = () => Date.now(), stdout = process.stdout }: ExportIo = {}): Promise<number> {
  let options: { out?: string; before?: string; since?: string };
  try {
    options = parseArgs({ args, options: { out: { type: 'string' }, before: { type: 'string' }, since: { type: 'string' } }, strict: true }).values;
  } catch (error) {
    err(`arrakis export: ${(error as Error).message} (${usage})\n`);
    return 2;
  }
  const [before, since] = [dateOption(options.before), dateOption(options.since)];
  const invalid = (['before', 'since'] as const).find((flag) => Number.isNaN((flag === 'before' ? before : since)?.getTime()));
  if (invalid) {
    err(`arrakis export: --${invalid} must be a date or time such as 2026-01-31 or 2026-01-31T12:00:00Z, got '${options[invalid]}'\n`);
    return 2;
  }
  const out = options.out === undefined || options.out === '-' ? null : options.out;
  if (out === null && stdout.isTTY) {
    err(`arrakis export: not writing compressed data to a terminal: pass --out FILE or redirect stdout (${usage})\n`);
    return 2;
  }
  if (out !== null && existsSync(out)) {
    err(`arrakis export: ${out} already exists; choose another name\n`);
    return 1;
  }

  const database = await openDatabase(loadServerConfig(env), createLogger({ level: 'warn', write: (line) => err(`${line}\n`) }));
  const sql = connect(database.url, { max: 1, applicationName: 'arrakis-export' });
  const progress = createProgress({ write: err, tty, now });
  const partial = out === null ? null : `${out}.partial`;
  const started = now();
  try {
    const tally = await exportLog(sql, partial === null ? stdout : createWriteStream(partial), {
      before,
      since,
      onProgress: (t) => progress.update(() => `${count(t.events)} events, ${megabytes(t.bytes)} (${rate(t.bytes, now() - started)})`),
    });
    if (partial !== null) await rename(partial, out!);
    progress.done();
    const compressed = out === null ? '' : `, ${megabytes((await stat(out)).size)} compressed`;
    err(`exported ${count(tally.events)} events (${megabytes(tally.bytes)}${compressed}) to ${out ?? 'stdout'} in ${((now() - started) / 1000).toFixed(1)} s (${rate(tally.bytes, now() - started)})\n`);
    return 0;
  } catch (error) {
    if (partial !== null) await rm(partial, { force: true });
    throw error;
  } finally {
    progress.done();
    await sql.end({ timeout: 5 });
    await database.close();
  }
}
