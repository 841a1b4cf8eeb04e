import { ArrakisError } from '../core/errors.js';

// Each command's module is imported when it runs, so a quick one (statusline) loads no
// server, database or zod code.

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
  install-hook [--user | --project DIR] [--statusline]
            register the capture hook in Claude Code's settings.json (default: the current project); --statusline also sets its statusLine
  import [PATH...]
            backfill from Claude Code transcripts (default ~/.claude/projects); safe to repeat
  export [--out FILE] [--before DATE] [--since DATE]
            write the log (or the events captured in that span) as gzip-compressed JSONL (stdout without --out)
  export-conversation ID [--format md|html] [--out FILE] [--redact] [--url URL]
            one conversation as Markdown or a self-contained HTML file; --redact hides home paths and secrets
  import-log FILE
            append the events of an export back into the log (new positions; safe to repeat)
  usage daily|weekly|monthly|session|blocks [--since DATE] [--until DATE] [--tz ZONE] [--json] [--breakdown] [--url URL] ...
            token and cost reports like ccusage's (--json: its field names), from the database or a server (arrakis usage --help)
  statusline
            one line for Claude Code's statusLine: this session's cost, today's, the active block's burn rate and time left
  mcp [--url URL]
            an MCP server on stdio for Claude Code: search and read the captured history and its usage (read key)
  doctor    check config, database, server, keys, projections, the hook and its spool; each problem with its fix
  help      this text

Configuration is read from the environment; see README.md.`;

/** Commands that parse their own arguments; the others take none. */
const commandsWithArgs: Record<string, (args: string[]) => Promise<number>> = {
  'install-hook': async (args) => (await import('./install-hook.js')).installHookCommand(args),
  rebuild: async (args) => (await import('./rebuild.js')).rebuildCommand(args),
  tail: async (args) => (await import('./tail.js')).tailCommand(args),
  import: async (args) => (await import('./import.js')).importCommand(args),
  export: async (args) => (await import('./export.js')).exportCommand(args),
  'export-conversation': async (args) => (await import('./export-conversation.js')).exportConversationCommand(args),
  'import-log': async (args) => (await import('./import-log.js')).importLogCommand(args),
  doctor: async (args) => (await import('./doctor.js')).doctorCommand(args),
  usage: async (args) => (await import('./usage.js')).usageCommand(args),
  statusline: async (args) => (await import('./statusline.js')).statuslineCommand(args),
  mcp: async (args) => (await import('./mcp.js')).mcpCommand(args),
};

const commands: Record<string, () => Promise<number>> = {
  start: async () => (await import('./serve.js')).serveCommand({ withProjector: true }),
  serve: async () => (await import('./serve.js')).serveCommand({ withProjector: false }),
  project: async () => (await import('./project.js')).projectCommand(),
  migrate: async () => (await import('./migrate.js')).migrateCommand(),
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
