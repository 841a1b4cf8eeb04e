import { parseArgs } from 'node:util';
import { loadServerConfig } from '../core/config.js';
import { readKeysFile } from '../core/keys.js';
import { formatFrame } from './tail-format.js';
import { followStream, TailRefused } from './tail-stream.js';
import { untilSignal } from './signals.js';

const usage = 'usage: arrakis tail [--session ID] [--type TYPE] [--url URL]';

export interface TailIo {
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** Ends the tail; SIGINT/SIGTERM by default. */
  stop?: Promise<unknown>;
}

/** The server to follow: --url, else ARRAKIS_URL, else where `arrakis start` listens. */
function serverUrl(given: string | undefined, env: NodeJS.ProcessEnv): string {
  if (given ?? env.ARRAKIS_URL) return new URL(given ?? env.ARRAKIS_URL!).toString();
  const config = loadServerConfig(env);
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}/`;
}

/** A read key from the environment, else the one `arrakis start` stored in the data dir. */
async function readKey(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.ARRAKIS_READ_KEY) return env.ARRAKIS_READ_KEY;
  if (env.ARRAKIS_ADMIN_KEY) return env.ARRAKIS_ADMIN_KEY;
  const stored = await readKeysFile(loadServerConfig(env).dataDir);
  return stored.read;
}

/** `arrakis tail`: live changes in the terminal, one line each, until interrupted. */
export async function tailCommand(args: string[], { env = process.env, out = (l) => process.stdout.write(`${l}\n`), err = (l) => process.stderr.write(`${l}\n`), stop = untilSignal() }: TailIo = {}): Promise<number> {
  let options: { session?: string; type?: string; url?: string };
  try {
    options = parseArgs({ args, options: { session: { type: 'string' }, type: { type: 'string' }, url: { type: 'string' } }, strict: true }).values;
  } catch (error) {
    err(`arrakis tail: ${(error as Error).message} (${usage})`);
    return 2;
  }
  const url = serverUrl(options.url, env);
  const key = await readKey(env);
  if (!key) {
    err('arrakis tail: no read key: set ARRAKIS_READ_KEY, or run it where `arrakis start` keeps its data (ARRAKIS_DATA_DIR)');
    return 1;
  }
  const controller = new AbortController();
  void stop.then(() => controller.abort());
  err(`following ${url} (Ctrl-C to stop)`);
  try {
    await followStream({
      url,
      key,
      sessionId: options.session ?? null,
      signal: controller.signal,
      onFrame: (frame) => {
        if (frame.event === 'ready') err('-- connected; waiting for changes');
        const line = formatFrame(frame, { type: options.type });
        if (line) out(line);
      },
      onTrouble: (message) => err(`-- ${message}`),
    });
  } catch (error) {
    if (error instanceof TailRefused) {
      err(`arrakis tail: ${error.message}`);
      return 1;
    }
    throw error;
  }
  return 0;
}
