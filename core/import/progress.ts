/**
 * Progress of a long command on stderr: on a terminal one line rewritten in place (`\r`),
 * elsewhere (a log file, CI) a plain line now and then. Notes go on lines of their own.
 */
export interface ProgressOptions {
  write(text: string): void;
  tty: boolean;
  now?: () => number;
  intervalMs?: number;
}

export interface Progress {
  /** Shows `line()` if the last update is older than the interval. */
  update(line: () => string): void;
  note(text: string): void;
  /** Ends the in-place line, if any. */
  done(): void;
}

export function createProgress({ write, tty, now = () => Date.now(), intervalMs = tty ? 250 : 5000 }: ProgressOptions): Progress {
  let shownAt = now();
  let width = 0;
  const clear = () => {
    if (width === 0) return;
    write(`\r${' '.repeat(width)}\r`);
    width = 0;
  };
  return {
    update(line) {
      if (now() - shownAt < intervalMs) return;
      shownAt = now();
      const text = line();
      if (!tty) return write(`${text}\n`);
      write(`\r${text.padEnd(width)}`);
      width = text.length;
    },
    note(text) {
      clear();
      write(`${text}\n`);
    },
    done: clear,
  };
}

const MB = 1024 * 1024;

export const count = (n: number): string => n.toLocaleString('en-US');
export const megabytes = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;
export const rate = (bytes: number, ms: number): string => `${(bytes / MB / Math.max(ms / 1000, 0.001)).toFixed(1)} MB/s`;
