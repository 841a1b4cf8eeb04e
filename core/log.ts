/** Structured logs: one JSON object per line on stdout (or wherever `write` sends them). */
export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  write?: (line: string) => void;
  clock?: () => Date;
  level?: Level;
  base?: Fields;
}

export function createLogger({
  write = (line) => process.stdout.write(`${line}\n`),
  clock = () => new Date(),
  level = 'info',
  base = {},
}: LoggerOptions = {}): Logger {
  const emit = (at: Level) => (msg: string, fields: Fields = {}) => {
    if (order[at] < order[level]) return;
    write(JSON.stringify({ time: clock().toISOString(), level: at, msg, ...base, ...fields }));
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (fields) => createLogger({ write, clock, level, base: { ...base, ...fields } }),
  };
}

export const silentLogger: Logger = createLogger({ write: () => {} });
