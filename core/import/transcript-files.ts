import { opendir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where Claude Code keeps transcripts: `~/.claude/projects`, and `$CLAUDE_CONFIG_DIR/projects`
 * when that is set (Claude Code then writes there instead). Each once, whether it exists or not.
 */
export function defaultTranscriptRoots(env: NodeJS.ProcessEnv = process.env, home = homedir()): string[] {
  const roots = [join(home, '.claude', 'projects')];
  if (env.CLAUDE_CONFIG_DIR) roots.push(join(env.CLAUDE_CONFIG_DIR, 'projects'));
  return [...new Set(roots.map((root) => resolve(root)))];
}

const sessionUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The session a transcript belongs to, from its path: `<session>.jsonl`, or any file under
 * `<session>/subagents/` (`agent-<id>.jsonl`, and deeper ones such as a workflow's
 * `workflows/wf_<id>/journal.jsonl` and `agent-<id>.jsonl`). Otherwise a file not named
 * after a session belongs to the nearest folder that is. Lines naming their own session win
 * over it (see transcriptLineEvent); this is for the lines that do not. Only the session:
 * the file key (transcriptFileKey) is the lines' identity and stays as it was.
 */
export function transcriptSession(path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  const name = (parts.at(-1) ?? path).replace(/\.jsonl$/, '');
  if (sessionUuid.test(name)) return name;
  const subagents = parts.lastIndexOf('subagents', parts.length - 2);
  if (subagents > 0) return parts[subagents - 1]!;
  const folder = parts.slice(0, -1).findLast((part) => sessionUuid.test(part));
  return folder ?? name;
}

/**
 * Every `*.jsonl` file under `root` (or `root` itself when it is a file), depth first in name
 * order with folders sorting as `name/`, so a session's file comes just before its subagents'
 * folder. Only one folder's names are held at a time. Symbolic links to folders are not
 * followed (they could loop). A missing or unreadable `root` throws; a subfolder that cannot
 * be read is passed to `onUnreadable` and skipped.
 */
export async function* transcriptFiles(root: string, onUnreadable: (path: string, error: Error) => void = () => {}): AsyncGenerator<string> {
  const info = await stat(root);
  if (info.isFile()) {
    yield resolve(root);
    return;
  }
  yield* walk(resolve(root), onUnreadable, true);
}

async function* walk(dir: string, onUnreadable: (path: string, error: Error) => void, top = false): AsyncGenerator<string> {
  const entries: Array<{ name: string; folder: boolean; order: string }> = [];
  try {
    for await (const entry of await opendir(dir)) {
      const folder = entry.isDirectory();
      if (folder || ((entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('.jsonl'))) {
        entries.push({ name: entry.name, folder, order: folder ? `${entry.name}/` : entry.name });
      }
    }
  } catch (error) {
    if (top) throw error;
    onUnreadable(dir, error as Error);
    return;
  }
  entries.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.folder) yield* walk(path, onUnreadable);
    else yield path;
  }
}
