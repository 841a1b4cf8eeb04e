import type { Sql } from 'postgres';
import { createBatchWriter, type WriteTally } from './batch-writer.js';
import { appendRows } from './row-append.js';
import { importFile, UnreadableFile } from './transcript-file.js';
import { transcriptFiles, transcriptSession } from './transcript-files.js';
import type { TranscriptRow } from './transcript-row.js';

/**
 * `arrakis import`: every line of every transcript under the given roots becomes the event
 * the hook would have made of it (transcriptLineEvent, the same identity and so the same
 * requestId), so lines already shipped live, or imported before, are duplicates and nothing
 * is stored twice. Files are streamed; see line-reader.ts and batch-writer.ts for the bounds.
 *
 * Sessions are imported side by side, each by one of `lanes` writers: the database's share of
 * the work (each payload made jsonb and indexed) is most of it, and one transaction at a time
 * keeps it on one core. A session's files (its own, then its subagents') stay in one lane, in
 * the order of the walk, so each conversation's lines are stored in the order of its files,
 * as a single writer would store them; only sessions interleave.
 */
export interface ImportTally extends WriteTally {
  files: number;
  /** Files that vanished or could not be read between listing and reading (Claude Code cleans up old ones). */
  unreadable: number;
  /** Complete, non-blank lines read. */
  lines: number;
  /** Not JSON: stored as `transcript.unparsed` with the raw text, as the hook does (counted among the lines not stored before). */
  malformed: number;
  /** JSON, but not an object: stored the same way. */
  nonObject: number;
  /** A last line without its newline yet: skipped, the hook ships it once complete. */
  partial: number;
  /** Lines above MAX_LINE_BYTES: skipped. */
  oversized: number;
  bytes: number;
}

export interface ImportOptions {
  clock?: () => Date;
  /** Called after each batch of lines read, with the running tally. */
  onProgress?(tally: Readonly<ImportTally>): void;
  /** Skipped lines and files, and lines the database refused (`failed`), one sentence each. */
  onNote?(note: string, kind: NoteKind): void;
  /** Sessions written at once; the pool of `sql` should hold one connection more. */
  lanes?: number;
}

export type NoteKind = 'skipped' | 'failed';

export const emptyImportTally = (): ImportTally => ({
  files: 0, unreadable: 0, lines: 0, malformed: 0, nonObject: 0, partial: 0, oversized: 0, bytes: 0,
  stored: 0, duplicate: 0, conflict: 0, failed: 0,
});

export async function importTranscripts(sql: Sql, roots: readonly string[], { clock = () => new Date(), onProgress = () => {}, onNote = () => {}, lanes = 2 }: ImportOptions = {}): Promise<ImportTally> {
  const tally = emptyImportTally();
  const [setting] = await sql<{ server_encoding: string }[]>`show server_encoding`;
  const utf8 = setting?.server_encoding === 'UTF8';
  const unreadable = (path: string, error: Error) => {
    tally.unreadable++;
    onNote(`skipped ${path}: ${error.message}`, 'skipped');
  };
  const groups = sessionGroups(roots, unreadable);
  // The first lane to fail (the database gone) stops the others at their next session.
  let stop: unknown = null;

  async function lane(): Promise<WriteTally> {
    const writer = createBatchWriter<TranscriptRow>({
      write: (rows) => appendRows(sql, rows, clock()),
      // Rows are a few strings each (see transcript-row.ts), so bigger batches cost little memory
      // and save commits; 1 MiB rather than 2 let two lanes import faster (30 against 26 MB/s) in less memory.
      maxItems: 5000,
      maxBytes: 1024 * 1024,
      onFailed: ({ path, offset }, error) => {
        onNote(`byte ${offset} of ${path} could not be stored: ${error.message.split('\n')[0]}`, 'failed');
      },
    });
    const session: { id: string; start: string | null } = { id: '', start: null };
    for (let group = await groups.next(); !group.done && stop === null; group = await groups.next()) {
      for (const path of group.value) {
        try {
          await importFile(path, { sql, tally, writer, onProgress, onNote, utf8, session });
        } catch (error) {
          if (error instanceof UnreadableFile) unreadable(path, error.cause as Error);
          else throw (stop = error);
        }
      }
    }
    return writer.finish();
  }

  const settled = await Promise.allSettled(Array.from({ length: Math.max(1, lanes) }, lane));
  const tallies = settled.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
  const written = tallies.reduce((sum, t) => ({
    stored: sum.stored + t.stored, duplicate: sum.duplicate + t.duplicate, conflict: sum.conflict + t.conflict, failed: sum.failed + t.failed,
  }));
  // Lines found stored before being sent are duplicates too (see transcript-file.ts).
  return { ...tally, ...written, duplicate: tally.duplicate + written.duplicate };
}

/** The walk's files, a session's consecutive files together (the walk puts its subagents right after it). */
async function* sessionGroups(roots: readonly string[], onUnreadable: (path: string, error: Error) => void): AsyncGenerator<string[]> {
  let group: string[] = [];
  let session = '';
  for (const root of roots) {
    for await (const path of transcriptFiles(root, onUnreadable)) {
      const next = transcriptSession(path);
      if (group.length > 0 && next !== session) {
        yield group;
        group = [];
      }
      session = next;
      group.push(path);
    }
  }
  if (group.length > 0) yield group;
}
