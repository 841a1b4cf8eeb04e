/** What one chaos run does; `npm run chaos -- --help` lists the flags. */
export interface ChaosOptions {
  /** Hook invocations in all (each a `node` process running the real hook). */
  invocations: number;
  /** Hook invocations running at once. */
  workers: number;
  /** Spool directories ("machines") the workers share: two sessions on one spool contend for its drain lock. */
  machines: number;
  serverKills: number;
  projectorKills: number;
  postgresRestarts: number;
  /** How long Postgres stays down before it is started again. */
  postgresDownMs: number;
  /** CLAUDE_HOOK_FLUSHER_IDLE: longer than an outage, so a flusher outlives it and delivers after. */
  flusherIdleMs: number;
  /** Run the server and projector from the TypeScript sources (tsx) rather than dist/. */
  fromSource: boolean;
  /** Keep the temp dir (cluster, spools, process logs) for a post-mortem. */
  keep: boolean;
  /** Progress lines go here (stderr); the summary goes to stdout. */
  log: (line: string) => void;
}

export const defaultOptions: ChaosOptions = {
  invocations: 10_000,
  workers: 8,
  machines: 4,
  serverKills: 5,
  projectorKills: 5,
  postgresRestarts: 1,
  postgresDownMs: 3000,
  flusherIdleMs: 20_000,
  fromSource: false,
  keep: false,
  log: () => {},
};

export const usage = `usage: npm run chaos -- [options]

  --invocations N        hook invocations (default ${defaultOptions.invocations})
  --workers N            invocations running at once (default ${defaultOptions.workers})
  --machines N           spool directories the workers share (default ${defaultOptions.machines})
  --server-kills N       SIGKILL + restart of the server (default ${defaultOptions.serverKills})
  --projector-kills N    SIGKILL + restart of the projector (default ${defaultOptions.projectorKills})
  --postgres-restarts N  crash (immediate shutdown) + restart of Postgres (default ${defaultOptions.postgresRestarts})
  --from-source          run server and projector with tsx from the sources instead of dist/
  --keep                 keep the temp dir (cluster, spools, process logs)
  --json                 one JSON object on stdout instead of the summary`;

const counts: Record<string, keyof ChaosOptions> = {
  '--invocations': 'invocations',
  '--workers': 'workers',
  '--machines': 'machines',
  '--server-kills': 'serverKills',
  '--projector-kills': 'projectorKills',
  '--postgres-restarts': 'postgresRestarts',
};
const minimum: Partial<Record<keyof ChaosOptions, number>> = { invocations: 1, workers: 1, machines: 1 };

/** Parses the command line; throws with a one-line reason on anything it does not know. */
export function parseArgs(argv: string[]): { options: Partial<ChaosOptions>; json: boolean; help: boolean } {
  const options: Partial<ChaosOptions> = {};
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--json') json = true;
    else if (flag === '--help' || flag === '-h') help = true;
    else if (flag === '--from-source') options.fromSource = true;
    else if (flag === '--keep') options.keep = true;
    else if (counts[flag]) {
      const name = counts[flag]!;
      const text = inline ?? argv[++i];
      const value = Number(text);
      if (text === undefined || !Number.isInteger(value) || value < (minimum[name] ?? 0)) {
        throw new Error(`${flag} needs a whole number >= ${minimum[name] ?? 0}, got ${text ?? 'nothing'}`);
      }
      (options as Record<string, number>)[name] = value;
    } else throw new Error(`unknown option ${arg}`);
  }
  return { options, json, help };
}
