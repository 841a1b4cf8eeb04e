/**
 * Which Claude Code hook events the capture hook is registered for, and how. The single
 * source for `arrakis install-hook` and for the repo's own .claude/settings.json.
 */

export const captureScript = '.claude/hooks/capture-conversation.js';

/** For the repo's own settings: resolves wherever the repo is cloned. */
export const projectDirCommand = `node "$CLAUDE_PROJECT_DIR"/${captureScript}`;

/**
 * Events deliberately left out. A command hook on these replaces Claude Code's own git
 * worktree handling instead of observing it, so a capture hook there would break worktrees.
 */
export const excludedEvents: Readonly<Record<string, string>> = {
  WorktreeCreate:
    'a WorktreeCreate command hook replaces git worktree creation: it must create the worktree and print its path',
  WorktreeRemove: 'a WorktreeRemove command hook replaces git worktree removal: it must remove the worktree itself',
};

export const capturedEvents = [
  'SessionStart',
  'Setup',
  'InstructionsLoaded',
  'UserPromptSubmit',
  'UserPromptExpansion',
  'PreToolUse',
  'PermissionRequest',
  'PermissionDenied',
  'PostToolUse',
  'PostToolUseFailure',
  'PostToolBatch',
  'Notification',
  'MessageDisplay',
  'SubagentStart',
  'SubagentStop',
  'TaskCreated',
  'TaskCompleted',
  'Stop',
  'StopFailure',
  'TeammateIdle',
  'ConfigChange',
  'CwdChanged',
  'FileChanged',
  'DirectoryAdded',
  'PreCompact',
  'PostCompact',
  'PreModelSwitch',
  'PostModelSwitch',
  'Elicitation',
  'ElicitationResult',
  'SessionEnd',
] as const;

type Json = Record<string, unknown>;

export interface HookHandler {
  type: 'command';
  command: string;
  timeout: number;
  async?: boolean;
}

/** No matcher: it matches everything, and events without matcher support need none. */
export interface MatcherGroup {
  matcher?: string;
  hooks: unknown[];
}

/**
 * The handler for one event. The explicit 10 s matters most on SessionEnd, whose hooks
 * otherwise share a 1.5 s budget. MessageDisplay fires for every streamed delta, so it
 * runs async and never slows streaming.
 */
export function handlerFor(event: string, command: string): HookHandler {
  const handler: HookHandler = { type: 'command', command, timeout: 10 };
  if (event === 'MessageDisplay') handler.async = true;
  return handler;
}

/** The `hooks` object to merge into a settings.json. */
export function hookEntries(command: string): Record<string, MatcherGroup[]> {
  return Object.fromEntries(capturedEvents.map((event) => [event, [{ hooks: [handlerFor(event, command)] }]]));
}

/** Ours whatever checkout or quoting installed it, so an old install is updated, not duplicated. */
export function isArrakisHook(handler: unknown): boolean {
  if (handler === null || typeof handler !== 'object') return false;
  const { command } = handler as { command?: unknown };
  return typeof command === 'string' && command.includes('capture-conversation.js');
}

// Inside double quotes the shell still expands $, ` and \; single quotes expand nothing.
const shellQuoted = (path: string) => (/["$`\\]/.test(path) ? `'${path.replaceAll("'", `'\\''`)}'` : `"${path}"`);

/** The command for an absolute checkout path, quoted so `sh -c` reads the path verbatim. */
export const commandFor = (root: string): string => `node ${shellQuoted(`${root}/${captureScript}`)}`;

/**
 * Registers our handler on every captured event and removes it from any other. Only our
 * handlers change: every other key, event, group and handler keeps its place and content.
 * Expects every `hooks[event]` to be an array of objects (install-hook refuses other files).
 */
export function mergeHooks(hooks: Json, command: string) {
  const counts = { added: 0, updated: 0, removed: 0 };
  const wanted = new Set<string>(capturedEvents);
  for (const event of capturedEvents) {
    const want = handlerFor(event, command);
    const groups = (hooks[event] ??= []) as Json[];
    const ours = groups.flatMap((g) => (Array.isArray(g.hooks) ? g.hooks.filter(isArrakisHook) : [])) as Json[];
    if (ours.length === 0) {
      groups.push({ hooks: [want] });
      counts.added++;
    }
    for (const handler of ours) {
      if (handler.command === want.command && handler.timeout === want.timeout && handler.async === want.async) continue;
      Object.assign(handler, want);
      if (want.async === undefined) delete handler.async;
      counts.updated++;
    }
  }
  for (const [event, groups] of Object.entries(hooks)) {
    if (wanted.has(event)) continue;
    const before = groups as Json[];
    const kept = before.filter((group) => {
      if (!Array.isArray(group.hooks) || !group.hooks.some(isArrakisHook)) return true;
      const others = group.hooks.filter((h) => !isArrakisHook(h));
      group.hooks = others;
      counts.removed++;
      return others.length > 0;
    });
    if (kept.length === before.length) continue;
    if (kept.length === 0) delete hooks[event];
    else hooks[event] = kept;
  }
  return counts;
}

/** Claude Code's `statusLine` running `arrakis statusline` from an absolute checkout path, quoted as commandFor. */
export const statuslineCommandFor = (root: string): string => `node ${shellQuoted(`${root}/bin/arrakis.js`)} statusline`;

/** Ours whatever checkout installed it, so a moved checkout's statusLine is updated, not refused. */
export function isArrakisStatusline(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const { command } = value as { command?: unknown };
  return typeof command === 'string' && /bin\/arrakis\.js['"]? statusline$/.test(command);
}
