import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { projectRoot } from '../core/paths.js';
import { capturedEvents, commandFor, excludedEvents, isArrakisStatusline, mergeHooks, projectDirCommand, statuslineCommandFor } from './hook-settings.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const usage = 'usage: arrakis install-hook [--user | --project DIR] [--statusline]';

interface Options {
  home?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

type Target = ({ file: string } | { projectDir: string }) & { statusline: boolean } | { problem: string };

/** The target: a settings.json path, or a usage problem. No flag means the current project. */
function parseArgs(args: string[], home: string, env: NodeJS.ProcessEnv, cwd: string): Target {
  let user = false;
  let statusline = false;
  let project: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--user') user = true;
    else if (arg === '--statusline') statusline = true;
    else if (arg === '--project') {
      project = args[++i];
      if (project === undefined || project.startsWith('-')) return { problem: '--project needs a directory' };
    } else return { problem: `unexpected argument '${arg}'` };
  }
  if (user && project !== undefined) return { problem: '--user and --project cannot be combined' };
  if (user) return { file: join(env.CLAUDE_CONFIG_DIR || join(home, '.claude'), 'settings.json'), statusline };
  return { projectDir: resolve(cwd, project ?? '.'), statusline };
}

/** A one-line reason the file cannot be merged safely, so it is left exactly as it is. */
function refusal(settings: unknown): string | undefined {
  if (!isObject(settings)) return 'is not a JSON object';
  if (settings.hooks === undefined) return undefined;
  if (!isObject(settings.hooks)) return '"hooks" is not an object';
  for (const [event, groups] of Object.entries(settings.hooks)) {
    if (!Array.isArray(groups) || !groups.every(isObject)) return `"hooks.${event}" is not an array of matcher groups`;
  }
  return undefined;
}

/** Sets `statusLine` to ours unless another one is there: that one is kept, and said so. */
function mergeStatusline(settings: Json, command: string): 'set' | 'unchanged' | 'kept' {
  const current = settings.statusLine;
  if (current !== undefined && !isArrakisStatusline(current)) return 'kept';
  const ours = current as Json | undefined;
  if (ours?.type === 'command' && ours.command === command) return 'unchanged';
  settings.statusLine = { ...ours, type: 'command', command };
  return 'set';
}

/** Temp file + rename, so Claude Code never reads a half-written settings.json. */
async function writeAtomically(file: string, text: string, mode: number | undefined) {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { flag: 'wx' });
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** `arrakis install-hook`: registers the capture hook in a Claude Code settings.json. */
export async function installHookCommand(
  args: string[],
  {
    home = os.homedir(),
    env = process.env,
    cwd = process.cwd(),
    out = (line: string) => process.stdout.write(`${line}\n`),
    err = (line: string) => process.stderr.write(`${line}\n`),
  }: Options = {},
): Promise<number> {
  const target = parseArgs(args, home, env, cwd);
  if ('problem' in target) {
    err(`arrakis install-hook: ${target.problem} (${usage})`);
    return 2;
  }
  let command = commandFor(projectRoot);
  let file: string;
  if ('file' in target) file = target.file;
  else {
    const dir = await realpath(target.projectDir).catch(() => undefined);
    if (dir === undefined) {
      err(`arrakis install-hook: project directory ${target.projectDir} does not exist`);
      return 1;
    }
    // The checkout's own committed settings stay portable instead of naming this clone's path.
    if (dir === (await realpath(projectRoot))) command = projectDirCommand;
    file = join(dir, '.claude', 'settings.json');
  }
  // Write through a symlinked settings.json (dotfile managers) instead of replacing the link.
  file = await realpath(file).catch(() => file);

  let original: string | undefined;
  let mode: number | undefined;
  try {
    original = await readFile(file, 'utf8');
    mode = (await stat(file)).mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let settings: unknown = {};
  try {
    if (original !== undefined) settings = JSON.parse(original);
  } catch (error) {
    err(`arrakis install-hook: ${file} is not valid JSON (${(error as Error).message}); left unchanged`);
    return 1;
  }
  const problem = refusal(settings);
  if (problem !== undefined) {
    err(`arrakis install-hook: ${file} ${problem}; left unchanged`);
    return 1;
  }
  const json = settings as Json;
  const counts = mergeHooks((json.hooks ??= {}) as Json, command);
  const statusline = target.statusline ? mergeStatusline(json, statuslineCommandFor(projectRoot)) : 'unchanged';

  const changed = original === undefined || counts.added + counts.updated + counts.removed > 0 || statusline === 'set';
  if (changed) {
    await mkdir(dirname(file), { recursive: true });
    await writeAtomically(file, `${JSON.stringify(json, null, 2)}\n`, mode);
    out(`arrakis: ${file}: capture hook added to ${counts.added} events, updated on ${counts.updated}, removed from ${counts.removed}`);
  } else {
    out(`arrakis: ${file}: capture hook already up to date on all ${capturedEvents.length} events`);
  }
  if (statusline === 'set') out(`arrakis: ${file}: statusLine set to \`${statuslineCommandFor(projectRoot)}\``);
  else if (statusline === 'kept') out(`note: ${file} already has another statusLine; left it as it is (remove it and rerun to use Arrakis')`);
  else if (target.statusline) out(`arrakis: ${file}: statusLine already runs arrakis statusline`);
  out(`not registered: ${Object.keys(excludedEvents).join(', ')} (their hooks replace git worktree handling)`);
  // The key's default home is the checkout's .arrakis/, and `npm start` resolves it from its cwd.
  out(`next: start Arrakis in ${projectRoot} (npm start) so it writes .arrakis/ingest.key, then check with:`);
  out(`  ${commandFor(projectRoot)} --health`);
  return 0;
}
