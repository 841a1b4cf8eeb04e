import { createReadStream, existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { loadServerConfig } from '../core/config.js';
import { connect } from '../core/db.js';
import { LogFormatError, restoreLog } from '../core/import/log-restore.js';
import { createProgress, count, megabytes, rate } from '../core/import/progress.js';
import { createLogger } from '../core/log.js';
import { openDatabase } from './database.js';
import { noteLimiter, type CommandIo } from './import.js';

const usage = 'usage: arrakis import-log FILE';

/** gzip's magic number: the export is compressed, but a decompressed copy is read as well. */
async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function source(file: string): Promise<Readable> {
  const raw = createReadStream(file, { highWaterMark: 1024 * 1024 });
  // Callback pipeline: a read or gunzip error destroys the last stream with it, which ends its iteration.
  return (await isGzip(file)) ? pipeline(raw, createGunzip(), () => {}) : raw;
}

/**
 * `arrakis import-log FILE`: appends the events of an `arrakis export` file, with new
 * positions and everything else as exported. Events already in the log are duplicates.
 */
export async function importLogCommand(args: string[], { env = process.env, err = (t) => process.stderr.write(t), tty = process.stderr.isTTY === true, now = () => Date.now() }: CommandIo = {}): Promise<number> {
  let file: string;
  try {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new Error(positionals.length === 0 ? 'FILE is missing' : 'only one FILE at a time');
    file = positionals[0]!;
  } catch (error) {
    err(`arrakis import-log: ${(error as Error).message} (${usage})\n`);
    return 2;
  }
  if (!existsSync(file)) {
    err(`arrakis import-log: no such file: ${file}\n`);
    return 1;
  }

  const database = await openDatabase(loadServerConfig(env), createLogger({ level: 'warn', write: (line) => err(`${line}\n`) }));
  const sql = connect(database.url, { max: 2, applicationName: 'arrakis-import-log' });
  const progress = createProgress({ write: err, tty, now });
  const notes = noteLimiter((text) => progress.note(text));
  const started = now();
  try {
    const tally = await restoreLog(sql, await source(file), {
      onNote: notes.note,
      onProgress: (t) => progress.update(() => `${count(t.events)} events, ${megabytes(t.bytes)} (${rate(t.bytes, now() - started)})`),
    });
    progress.done();
    if (notes.hidden > 0) err(`(${count(notes.hidden)} more notes not shown)\n`);
    const ms = now() - started;
    err(`imported ${count(tally.events)} events from an export of ${tally.header.exportedAt}: ${count(tally.stored)} stored, ${count(tally.duplicate)} duplicates` +
      `${tally.conflict ? `, ${count(tally.conflict)} conflicts (another event holds their requestId; it was kept)` : ''}` +
      `${tally.failed ? `, ${count(tally.failed)} failed` : ''}; ${megabytes(tally.bytes)} in ${(ms / 1000).toFixed(1)} s (${rate(tally.bytes, ms)})\n`);
    return tally.conflict + tally.failed > 0 ? 1 : 0;
  } catch (error) {
    if (!(error instanceof LogFormatError)) throw error;
    progress.done();
    err(`arrakis import-log: ${file}: ${error.message}\n`);
    return 1;
  } finally {
    progress.done();
    await sql.end({ timeout: 5 });
    await database.close();
  }
}
