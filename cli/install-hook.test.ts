import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../core/paths.js';
import { capturedEvents, commandFor, excludedEvents, handlerFor, hookEntries, projectDirCommand, statuslineCommandFor } from './hook-settings.js';
import { installHookCommand } from './install-hook.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arrakis-install-hook-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ours = commandFor(projectRoot);
const settingsFile = () => join(dir, '.claude', 'settings.json');
const read = async (file = settingsFile()) => JSON.parse(await readFile(file, 'utf8'));
async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await installHookCommand(args, { home: join(dir, 'home'), env, cwd: dir, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err };
}
async function seed(settings: unknown) {
  await mkdir(join(dir, '.claude'), { recursive: true });
  await writeFile(settingsFile(), typeof settings === 'string' ? settings : JSON.stringify(settings, null, 2));
}
const oursIn = (groups: { hooks: { command?: string }[] }[]) =>
  groups.flatMap((g) => g.hooks).filter((h) => h.command?.includes('capture-conversation.js'));

describe('hookEntries', () => {
  it('registers every event but the worktree ones, with the budgets the events need', () => {
    const hooks = hookEntries('cmd');
    expect(Object.keys(hooks)).toEqual([...capturedEvents]);
    for (const event of Object.keys(excludedEvents)) expect(hooks).not.toHaveProperty(event);
    expect(hooks.SessionEnd).toEqual([{ hooks: [{ type: 'command', command: 'cmd', timeout: 10 }] }]);
    expect(hooks.MessageDisplay).toEqual([{ hooks: [{ type: 'command', command: 'cmd', timeout: 10, async: true }] }]);
  });

  it('quotes the checkout path so the shell passes it through verbatim', () => {
    for (const root of ['/plain/path', `/it's/$HOME/\`x\`/"q"/back\\slash`]) {
      const echoed = execFileSync('sh', ['-c', commandFor(root).replace(/^node /, 'printf %s ')], { encoding: 'utf8' });
      expect(echoed).toBe(`${root}/.claude/hooks/capture-conversation.js`);
    }
  });

  it('is exactly what the repo’s own .claude/settings.json registers', async () => {
    const committed = await readFile(join(projectRoot, '.claude', 'settings.json'), 'utf8');
    const generated = { $schema: 'https://json.schemastore.org/claude-code-settings.json', hooks: hookEntries(projectDirCommand) };
    expect(committed).toBe(`${JSON.stringify(generated, null, 2)}\n`);
  });
});

describe('arrakis install-hook', () => {
  const bash = { matcher: 'Bash', hooks: [{ type: 'command', command: './guard.sh', timeout: 3 }] };
  const stop = { hooks: [{ type: 'command', command: 'notify-send done' }] };
  const existing = { permissions: { allow: ['Bash(npm test)'] }, hooks: { PreToolUse: [bash], Stop: [stop] }, env: { FOO: 'bar' } };

  it('adds ours to every captured event and keeps everything else as it was', async () => {
    await seed(existing);
    const { code, out } = await run(['--project', dir]);
    expect(code).toBe(0);
    expect(out).toContain(`added to ${capturedEvents.length} events`);
    expect(out).toContain('--health');
    const after = await read();
    expect(Object.keys(after)).toEqual(['permissions', 'hooks', 'env']);
    expect(after.permissions).toEqual(existing.permissions);
    expect(after.env).toEqual(existing.env);
    expect(after.hooks.PreToolUse).toEqual([bash, { hooks: [handlerFor('PreToolUse', ours)] }]);
    expect(after.hooks.Stop).toEqual([stop, { hooks: [handlerFor('Stop', ours)] }]);
    for (const event of capturedEvents) expect(oursIn(after.hooks[event])).toHaveLength(1);
    expect(after.hooks).not.toHaveProperty('WorktreeCreate');
    expect(after.hooks).not.toHaveProperty('WorktreeRemove');
  });

  it('is idempotent: a second run reports up to date and does not rewrite', async () => {
    await seed(existing);
    expect((await run([])).code).toBe(0);
    const first = await readFile(settingsFile());
    const { mtimeMs } = await stat(settingsFile());
    const second = await run([]);
    expect(second.out).toContain('already up to date');
    expect(await readFile(settingsFile())).toEqual(first);
    expect((await stat(settingsFile())).mtimeMs).toBe(mtimeMs);
  });

  it('updates a stale handler in place and takes ours off events it no longer registers', async () => {
    const stale = { type: 'command', command: 'node /old/checkout/.claude/hooks/capture-conversation.js', timeout: 5, statusMessage: 'capturing' };
    const other = { type: 'command', command: './other.sh' };
    await seed({
      hooks: {
        PreToolUse: [{ matcher: '*', hooks: [other, stale] }],
        WorktreeCreate: [{ hooks: [{ ...stale }] }],
        WorktreeRemove: [{ hooks: [other, { ...stale }] }],
      },
    });
    const { out } = await run([]);
    expect(out).toMatch(/updated on 1, removed from 2/);
    const after = await read();
    expect(after.hooks.PreToolUse).toEqual([{ matcher: '*', hooks: [other, { ...stale, command: ours, timeout: 10 }] }]);
    expect(after.hooks).not.toHaveProperty('WorktreeCreate');
    expect(after.hooks.WorktreeRemove).toEqual([{ hooks: [other] }]);
  });

  it('refuses a file it cannot merge and leaves it untouched', async () => {
    for (const text of ['{"hooks": {', '[]', '{"hooks": {"Stop": {}}}']) {
      await seed(text);
      const { code, err } = await run([]);
      expect(code).toBe(1);
      expect(err).toHaveLength(1);
      expect(err[0]).toContain('left unchanged');
      expect(await readFile(settingsFile(), 'utf8')).toBe(text);
    }
  });

  it('keeps the file mode and writes through a symlinked settings.json', async () => {
    const real = join(dir, 'dotfiles.json');
    await writeFile(real, '{}\n');
    await chmod(real, 0o600);
    await mkdir(join(dir, '.claude'));
    await symlink(real, settingsFile());
    expect((await run([])).code).toBe(0);
    expect(oursIn((await read(real)).hooks.Stop)).toHaveLength(1);
    expect((await stat(real)).mode & 0o777).toBe(0o600);
  });

  it('--user writes to CLAUDE_CONFIG_DIR, else ~/.claude', async () => {
    const config = join(dir, 'config');
    expect((await run(['--user'], { CLAUDE_CONFIG_DIR: config })).code).toBe(0);
    expect(oursIn((await read(join(config, 'settings.json'))).hooks.SessionEnd)).toHaveLength(1);
    expect((await run(['--user'])).code).toBe(0);
    expect(oursIn((await read(join(dir, 'home', '.claude', 'settings.json'))).hooks.SessionEnd)).toHaveLength(1);
  });

  it('rejects bad usage with exit 2 and writes nothing', async () => {
    for (const args of [['--bogus'], ['--project'], ['--project', '--user'], ['--user', '--project', dir], ['extra']]) {
      const { code, err } = await run(args);
      expect(code).toBe(2);
      expect(err).toHaveLength(1);
    }
    await expect(stat(settingsFile())).rejects.toThrow();
  });

  it('never writes a secret into settings', async () => {
    const env = { CLAUDE_HOOK_API_KEY: 'ak_live_0123456789abcdef', CLAUDE_HOOK_API_KEY_FILE: join(dir, 'k') };
    await run([], env);
    const text = await readFile(settingsFile(), 'utf8');
    expect(text).not.toContain(env.CLAUDE_HOOK_API_KEY);
    expect(text).not.toMatch(/api[_-]?key|bearer|token|secret|password|\.key\b/i);
  });

  describe('--statusline', () => {
    const statusLine = { type: 'command', command: statuslineCommandFor(projectRoot) };

    it('is never set by default', async () => {
      await run([]);
      expect(await read()).not.toHaveProperty('statusLine');
    });

    it('sets statusLine to arrakis statusline, once', async () => {
      await seed(existing);
      const { code, out } = await run(['--statusline']);
      expect(code).toBe(0);
      expect(out).toContain(`statusLine set to \`${statusLine.command}\``);
      expect((await read()).statusLine).toEqual(statusLine);
      const { mtimeMs } = await stat(settingsFile());
      const again = await run(['--statusline']);
      expect(again.out).toContain('statusLine already runs arrakis statusline');
      expect((await stat(settingsFile())).mtimeMs).toBe(mtimeMs);
    });

    it('runs the built CLI from the checkout, quoted for the shell', () => {
      for (const root of ['/plain/path', `/it's/$HOME/"q"`]) {
        const echoed = execFileSync('sh', ['-c', statuslineCommandFor(root).replace(/^node /, 'printf "%s|" ')], { encoding: 'utf8' });
        expect(echoed).toBe(`${root}/bin/arrakis.js|statusline|`);
      }
    });

    it('leaves another statusLine as it is and says so', async () => {
      const theirs = { type: 'command', command: '~/.claude/statusline.sh', padding: 0 };
      await seed({ ...existing, statusLine: theirs });
      const { code, out } = await run(['--statusline']);
      expect(code).toBe(0);
      expect(out).toMatch(/note: .* already has another statusLine; left it as it is/);
      const after = await read();
      expect(after.statusLine).toEqual(theirs);
      expect(oursIn(after.hooks.Stop)).toHaveLength(1);
    });

    it("updates an older checkout's arrakis statusline, keeping its other settings", async () => {
      await seed({ statusLine: { type: 'command', command: 'node "/old/checkout/bin/arrakis.js" statusline', padding: 1 } });
      await run(['--statusline']);
      expect((await read()).statusLine).toEqual({ ...statusLine, padding: 1 });
    });
  });
});
