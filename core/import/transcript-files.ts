import { opendir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { transcriptFileKey } from '../transcript-line.js';

/**
 * Where Claude Code keeps transcripts: `~/.claude/projects`, and `$CLAUDE_CONFIG_DIR/projects`
 * when that is set (Claude Code then writes there instead). Each once, whether it exists or not.
 */
export function defaultTranscriptRoots(env: NodeJS.ProcessEnv = process.env, home = homedir()): string[] {
  const roots = [join(home, '.claude', 'projects')];
  if (env.CLAUDE_CONFIG_DIR) roots.push(join(env.CLAUDE_CONFIG_DIR, 'projects'));
  return [...new Set(roots.map((root) => resolve(root)))];
}

/**
 * The session a transcript belongs to, from its path: `<session>.jsonl`, or
 * `<session>/subagents/agent-<id>.jsonl` for a subagent's. Lines naming their own session win
 * over it (see transcriptLineEvent); this is for the lines that do not.
 */
export function transcriptSession(path: string): string {
  const key = transcriptFileKey(path);
  const first = key.split('/')[0]!;
  return key.includes('/') ? first : first.replace(/\.jsonl$/, '');
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
