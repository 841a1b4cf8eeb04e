import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Sql } from 'postgres';
import { transcriptFileKey, transcriptLineIdentity, transcriptLineRequestId } from '../transcript-line.js';
import type { BatchWriter } from './batch-writer.js';
import { readLines } from './line-reader.js';
import { transcriptSession } from './transcript-files.js';
import type { ImportTally, NoteKind } from './transcript-import.js';
import { transcriptLineRow, type TranscriptRow } from './transcript-row.js';
import { firstTimeFrom, lastTimeIn, type Line } from './transcript-times.js';

/** A file that could not be read, told apart from the database failing while it was. */
export class UnreadableFile extends Error {}

export interface FileContext {
  sql: Sql;
  tally: ImportTally;
  writer: BatchWriter<TranscriptRow>;
  onProgress(tally: Readonly<ImportTally>): void;
  onNote(note: string, kind: NoteKind): void;
  /** The database is UTF-8, so a line's own text may stand for its payload (transcript-row.ts). */
  utf8: boolean;
  /**
   * The earliest line time read so far of the session the lane is on (a session's files are
   * read one after the other): its rows may not be stored yet when the next file asks.
   */
  session?: { id: string; start: string | null };
}

/**
 * A line without a timestamp of its own (snapshots, summaries, queue operations) takes the
 * time of the last line before it that has one: it was written just after it. Lines before
 * the first such line (a 1.0.x file's summaries, a snapshot) take the first time after them
 * in the file; in a file with no time at all, the session's start (its earliest line read by
 * this import, else its first event stored), else the file's modification time. Either way
 * the line is marked `timeEstimated`, so an import never passes lines off as written on the
 * day it ran. Only the import guesses: the hook ships lines as they are written, so its
 * capture time is theirs.
 */
interface FileState {
  path: string;
  key: string;
  sessionId: string;
  /** The time of the last line read that had one; null before the first. */
  lastTime: string | null;
  /** What lines before the first timed one take, once looked for (leadTime). */
  leadTime: string | null;
  mtime: string;
  /** Lines were skipped as stored, unread: the time before the next new line is in them. */
  skippedUnread: boolean;
  /** The step before, where that time may be. */
  previous: readonly Line[];
  /** Whether the next lines may already be stored: see appendLines. */
  mayBeStored: boolean;
}

const LINES_PER_STEP = 1000;
const BYTES_PER_STEP = 512 * 1024;

async function* chunks(path: string, start = 0): AsyncGenerator<Buffer> {
  try {
    yield* createReadStream(path, { highWaterMark: 1024 * 1024, start }) as AsyncIterable<Buffer>;
  } catch (error) {
    throw new UnreadableFile((error as Error).message, { cause: error });
  }
}

/** Streams one transcript into the writer, a step of lines at a time. */
export async function importFile(path: string, context: FileContext): Promise<void> {
  const { tally, onProgress, onNote } = context;
  const { mtime } = await stat(path).catch((error: Error) => {
    throw new UnreadableFile(error.message, { cause: error });
  });
  const file: FileState = {
    path, key: transcriptFileKey(path), sessionId: transcriptSession(path), lastTime: null, leadTime: null, mtime: mtime.toISOString(),
    skippedUnread: false, previous: [], mayBeStored: true,
  };
  if (context.session && context.session.id !== file.sessionId) Object.assign(context.session, { id: file.sessionId, start: null });
  tally.files++;
  let step: Line[] = [];
  let bytes = 0;
  for await (const items of readLines(chunks(path))) {
    for (const item of items) {
      tally.bytes += item.bytes + (item.kind === 'partial' ? 0 : 1);
      if (item.kind === 'partial') {
        tally.partial++;
        onNote(`left the unfinished last line of ${path} (byte ${item.offset}, ${item.bytes} bytes) for the hook to ship once complete`, 'skipped');
      } else if (item.kind === 'oversized') {
        tally.oversized++;
        onNote(`skipped a ${item.bytes}-byte line at byte ${item.offset} of ${path}: longer than the import takes`, 'skipped');
      } else if (item.text.trim() !== '') {
        // Blank lines carry nothing (the hook skips them too); they still count towards offsets.
        tally.lines++;
        step.push(item);
        bytes += item.bytes;
        if (step.length >= LINES_PER_STEP || bytes >= BYTES_PER_STEP) {
          await appendLines(file, step, context);
          step = [];
          bytes = 0;
        }
      }
    }
    onProgress(tally);
  }
  if (step.length > 0) await appendLines(file, step, context);
}

/**
 * Transcripts only grow, so a file is stored from its start up to some line (imported before,
 * or shipped by the hook) and new after it. While lines may be stored, their requestIds are
 * looked up first and the stored ones skipped before being parsed and sent: a repeated import
 * costs little more than reading. Once a step finds none stored, the rest of the file is
 * appended straight away (a line stored meanwhile is still only a duplicate).
 */
async function appendLines(file: FileState, lines: readonly Line[], { sql, tally, writer, utf8, session }: FileContext): Promise<void> {
  let identities: Buffer[] = [];
  let skip: boolean[] = [];
  if (file.mayBeStored) {
    identities = lines.map((line) => transcriptLineIdentity(file.key, line.offset, line.text));
    const ids = identities.map(transcriptLineRequestId);
    const rows = await sql<{ request_id: string }[]>`select request_id from arrakis.events where request_id = any(${ids})`;
    const found = new Set(rows.map((row) => row.request_id));
    skip = ids.map((id) => found.has(id));
    file.mayBeStored = found.size > 0;
    tally.duplicate += found.size;
  }
  for (const [i, line] of lines.entries()) {
    if (skip[i]) {
      file.skippedUnread = true;
      continue;
    }
    if (file.skippedUnread) {
      file.lastTime = lastTimeIn(lines.slice(0, i)) ?? lastTimeIn(file.previous) ?? file.lastTime;
      file.skippedUnread = false;
    }
    const capturedAt = file.lastTime ?? (file.leadTime ??= await leadTime(file, lines.slice(i), sql, session?.start ?? null));
    const context = { path: file.path, offset: line.offset, sessionId: file.sessionId, capturedAt, timeEstimated: true, identity: identities[i] };
    const row = transcriptLineRow(line.text, context, { ownText: utf8 });
    if (!row.timeEstimated) {
      file.lastTime = row.capturedAt;
      if (session && (session.start === null || row.capturedAt < session.start)) session.start = row.capturedAt;
    }
    if (row.error === 'not a JSON object') tally.nonObject++;
    else if (row.error !== undefined) tally.malformed++;
    await writer.add(row, line.bytes);
  }
  file.previous = lines;
}

/** What lines before a file's first timed line take (see FileState), looked for once per file. */
async function leadTime(file: FileState, lines: readonly Line[], sql: Sql, sessionStart: string | null): Promise<string> {
  const found = await firstTimeFrom(lines, (start) => chunks(file.path, start));
  if (found) return found;
  if (sessionStart) return sessionStart;
  // The session's first event stored, by the index on (session_id, position): one row read.
  const [first] = await sql<{ captured_at: Date }[]>`
    select captured_at from arrakis.events where session_id = ${file.sessionId} order by position limit 1`;
  return first?.captured_at.toISOString() ?? file.mtime;
}
