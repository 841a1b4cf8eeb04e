import { writeFile } from 'node:fs/promises';
import { loadServerConfig } from '../core/config.js';
import { connect } from '../core/db.js';
import { readKeysFile } from '../core/keys.js';
import { createLogger } from '../core/log.js';
import { loadExport } from '../server/export/load.js';
import { renderExport, type ExportFormat } from '../server/export/render.js';
import { openDatabase } from './database.js';

export const exportConversationUsage = 'usage: arrakis export-conversation ID [--format md|html] [--out FILE] [--redact] [--url URL]';

export interface ExportConversationArgs {
  sessionId: string;
  format: ExportFormat;
  out?: string;
  redact: boolean;
  url?: string;
}

/** The arguments, or the one problem with them; without --format, an --out ending in .html says html. */
export function parseExportConversationArgs(argv: string[]): ExportConversationArgs | { problem: string } {
  let sessionId: string | undefined;
  let format: string | undefined;
  let out: string | undefined;
  let url: string | undefined;
  let redact = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--redact') redact = true;
    else if (flag === '--format') format = value();
    else if (flag === '--out' || flag === '-o') out = value();
    else if (flag === '--url') url = value();
    else if (flag.startsWith('-')) return { problem: `unknown option ${flag}` };
    else if (sessionId === undefined) sessionId = arg;
    else return { problem: `one conversation at a time, got ${sessionId} and ${arg}` };
  }
  if (!sessionId) return { problem: 'which conversation? give its session id' };
  format ??= out?.toLowerCase().endsWith('.html') || out?.toLowerCase().endsWith('.htm') ? 'html' : 'md';
  if (format !== 'md' && format !== 'html') return { problem: `--format must be md or html, got '${format}'` };
  if (out === '') return { problem: '--out needs a file name' };
  return { sessionId, format, out, redact, url };
}

class Refused extends Error {}

/** The route's own rendering, through GET /api/conversations/:id/export with the read key. */
async function fromServer(base: string, args: ExportConversationArgs, env: NodeJS.ProcessEnv): Promise<string> {
  const key = env.ARRAKIS_READ_KEY || env.ARRAKIS_ADMIN_KEY || (await readKeysFile(loadServerConfig(env).dataDir)).read;
  if (!key) throw new Refused('no read key: set ARRAKIS_READ_KEY, or run it where `arrakis start` keeps its data (ARRAKIS_DATA_DIR)');
  const url = new URL(`api/conversations/${encodeURIComponent(args.sessionId)}/export`, base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('format', args.format);
  url.searchParams.set('redact', args.redact ? '1' : '0');
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    throw new Refused(`cannot reach ${url.origin}: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`);
  }
  const body = await response.text();
  if (!response.ok) {
    const message = (() => { try { return (JSON.parse(body) as { message?: string }).message; } catch { return undefined; } })();
    throw new Refused(`${url.origin} answered ${response.status}${message ? `: ${message}` : ''}`);
  }
  return body;
}

async function fromDatabase(args: ExportConversationArgs, env: NodeJS.ProcessEnv, err: (line: string) => void): Promise<string> {
  const database = await openDatabase(loadServerConfig(env), createLogger({ level: 'warn', write: (line) => err(line) }));
  const sql = connect(database.url, { max: 2, applicationName: 'arrakis-export-conversation' });
  try {
    const data = await loadExport(sql, args.sessionId);
    if (!data) throw new Refused(`no conversation ${args.sessionId}`);
    return renderExport(data, { format: args.format, redact: args.redact }).body;
  } finally {
    await sql.end({ timeout: 5 });
    await database.close();
  }
}

export interface ExportConversationIo {
  env?: NodeJS.ProcessEnv;
  out?: (text: string) => void;
  err?: (line: string) => void;
}

/** `arrakis export-conversation ID`: one conversation as Markdown or HTML, from the database or a server (--url). */
export async function exportConversationCommand(
  argv: string[],
  { env = process.env, out = (t) => process.stdout.write(t), err = (l) => process.stderr.write(`${l}\n`) }: ExportConversationIo = {},
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(`${exportConversationUsage}\n\nWithout --url (or ARRAKIS_URL) it reads the database. --redact replaces home directories with ~ and what looks like a key, token or password with [redacted].\n`);
    return 0;
  }
  const args = parseExportConversationArgs(argv);
  if ('problem' in args) {
    err(`arrakis export-conversation: ${args.problem} (${exportConversationUsage})`);
    return 2;
  }
  const server = args.url ?? env.ARRAKIS_URL;
  let body: string;
  try {
    body = server ? await fromServer(server, args, env) : await fromDatabase(args, env, err);
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    err(`arrakis export-conversation: ${error.message}`);
    return 1;
  }
  if (args.out === undefined) out(body);
  else {
    await writeFile(args.out, body);
    err(`wrote ${args.out}`);
  }
  return 0;
}
