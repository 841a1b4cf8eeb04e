// @ts-check
import { capture } from './capture.js';
import { loadConfig } from './config.js';
import { runAtEnd } from './cleanup.js';

/**
 * The capture hook's entry point. It never exits 2 (that would block Claude Code) and never
 * writes to stdout while capturing (Claude Code injects stdout into the model's context).
 * @param {string[]} argv @param {{ script: string, root: string }} where this file runs from, and the Arrakis checkout
 */
export async function main(argv, { script, root }) {
  const config = loadConfig(process.env, root);
  const [mode] = argv;
  try {
    if (mode === undefined) return await capture(config, { env: process.env, stdin: 0, now: () => Date.now(), script });
    if (mode === '--drain') return await (await import('./background.js')).drainInBackground(config);
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
    runAtEnd();
  }
}
