import { ArrakisError } from '../core/errors.js';
import { doctorCommand } from './doctor.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { importLogCommand } from './import-log.js';
import { installHookCommand } from './install-hook.js';
import { migrateCommand } from './migrate.js';
import { projectCommand } from './project.js';
import { rebuildCommand } from './rebuild.js';
import { serveCommand } from './serve.js';
import { tailCommand } from './tail.js';

const usage = `usage: arrakis <command>

commands:
  start     database (embedded when DATABASE_URL is unset), migrations, HTTP server, UI and projector
  serve     the HTTP server alone
  project   the projector alone (several may run at once)
  rebuild [NAME...]
            rebuild projections from the log while the old ones keep serving (all when no name)
  migrate   apply pending migrations (safe to run concurrently)
  tail [--session ID] [--type TYPE] [--url URL]
            print live changes as they are projected (reconnects without losing any)
  install-hook [--user | --project DIR]
            register the capture hook in Claude Code's settings.json (default: the current project)
  import [PATH...]
            backfill from Claude Code transcripts (default ~/.claude/projects); safe to repeat
  export [--out FILE] [--before DATE] [--since DATE]
            write the log (or the events captured in that span) as gzip-compressed JSONL (stdout without --out)
  import-log FILE
            append the events of an export back into the log (new positions; safe to repeat)
  doctor    check config, database, server, keys, projections, the hook and its spool; each problem with its fix
  help      this text

Configuration is read from the environment; see README.md.`;

/** Commands that parse their own arguments; the others take none. */
const commandsWithArgs: Record<string, (args: string[]) => Promise<number>> = {
  'install-hook': (args) => installHookCommand(args),
  rebuild: (args) => rebuildCommand(args),
  tail: (args) => tailCommand(args),
  import: (args) => importCommand(args),
  export: (args) => exportCommand(args),
  'import-log': (args) => importLogCommand(args),
  doctor: (args) => doctorCommand(args),
};

const commands: Record<string, () => Promise<number>> = {
  start: () => serveCommand({ withProjector: true }),
  serve: () => serveCommand({ withProjector: false }),
  project: projectCommand,
  migrate: migrateCommand,
};

/** Every failure ends as one line on stderr and a non-zero exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${usage}\n`);
    return name === undefined ? 2 : 0;
  }
  const takesArgs = commandsWithArgs[name];
  const command: ((args: string[]) => Promise<number>) | undefined = takesArgs ?? commands[name];
  if (!command) {
    process.stderr.write(`arrakis: unknown command '${name}' (try: arrakis help)\n`);
    return 2;
  }
  if (!takesArgs && rest.length > 0) {
    process.stderr.write(`arrakis: '${name}' takes no arguments, got: ${rest.join(' ')}\n`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    const reason = error instanceof ArrakisError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`arrakis: ${name} failed: ${reason.split('\n')[0]}\n`);
    return 1;
  }
}
