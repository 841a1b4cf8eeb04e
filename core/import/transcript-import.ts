import type { Sql } from 'postgres';
import { createBatchWriter, type WriteTally } from './batch-writer.js';
import { appendRows } from './row-append.js';
import { importFile, UnreadableFile } from './transcript-file.js';
import { transcriptFiles } from './transcript-files.js';
import type { TranscriptRow } from './transcript-row.js';

/**
 * `arrakis import`: every line of every transcript under the given roots becomes the event
 * the hook would have made of it (transcriptLineEvent, the same identity and so the same
 * requestId), so lines already shipped live, or imported before, are duplicates and nothing
 * is stored twice. Files are streamed; see line-reader.ts and batch-writer.ts for the bounds.
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
}

export type NoteKind = 'skipped' | 'failed';

export const emptyImportTally = (): ImportTally => ({
  files: 0, unreadable: 0, lines: 0, malformed: 0, nonObject: 0, partial: 0, oversized: 0, bytes: 0,
  stored: 0, duplicate: 0, conflict: 0, failed: 0,
});

export async function importTranscripts(sql: Sql, roots: readonly string[], { clock = () => new Date(), onProgress = () => {}, onNote = () => {} }: ImportOptions = {}): Promise<ImportTally> {
  const tally = emptyImportTally();
  const [setting] = await sql<{ server_encoding: string }[]>`show server_encoding`;
  const writer = createBatchWriter<TranscriptRow>({
    write: (rows) => appendRows(sql, rows, clock()),
    // Rows are a few strings each (see transcript-row.ts), so bigger batches cost little memory
    // and save commits: each waits for its flush to disk while the database does nothing else.
    maxItems: 5000,
    maxBytes: 2 * 1024 * 1024,
    onFailed: ({ path, offset }, error) => {
      onNote(`byte ${offset} of ${path} could not be stored: ${error.message.split('\n')[0]}`, 'failed');
    },
  });
  const unreadable = (path: string, error: Error) => {
    tally.unreadable++;
    onNote(`skipped ${path}: ${error.message}`, 'skipped');
  };
  for (const root of roots) {
    for await (const path of transcriptFiles(root, unreadable)) {
      try {
        await importFile(path, { sql, tally, writer, onProgress, onNote, utf8: setting?.server_encoding === 'UTF8' });
      } catch (error) {
        if (!(error instanceof UnreadableFile)) throw error;
        unreadable(path, error.cause as Error);
      }
    }
  }
  const written = await writer.finish();
  // Lines found stored before being sent are duplicates too (see transcript-file.ts).
  return { ...tally, ...written, duplicate: tally.duplicate + written.duplicate };
}
