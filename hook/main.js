// @ts-check
import { capture } from './capture.js';
import { loadConfig } from './config.js';
import { closeAgents } from './deliver.js';

/**
 * The capture hook's entry point. It never exits 2 (that would block Claude Code) and never
 * writes to stdout while capturing (Claude Code injects stdout into the model's context).
 * @param {string[]} argv
 */
export async function main(argv) {
  const config = loadConfig();
  const [mode] = argv;
  try {
    if (mode === undefined) return await capture(config, { env: process.env, stdin: process.stdin, now: () => Date.now() });
    const modes = await import('./modes.js');
    if (mode === '--flush') return await modes.flush(config);
    if (mode === '--health') return await modes.health(config);
    if (mode === '--status') return modes.status(config);
    process.stderr.write(`arrakis hook: unknown mode ${mode} (use --flush, --health or --status)\n`);
    return 1;
  } catch (error) {
    process.stderr.write(`arrakis hook: ${/** @type {Error} */ (error)?.stack ?? error}\n`);
    return config.failSilently && mode === undefined ? 0 : 1;
  } finally {
    closeAgents();
  }
}
