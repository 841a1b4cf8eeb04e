/**
 * `npm run bench`: every benchmark, one after another so they do not compete for the two
 * cores. With `--json`, one JSON object on stdout holding each benchmark's object by name.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../core/paths.js';

const asJson = process.argv.includes('--json');
const jsonFlag = asJson ? ['--json'] : [];
// Options such as --seconds or --clients belong to the append benchmark; every benchmark takes --json.
const benches: Array<[string, string[]]> = [
  ['append', process.argv.slice(2)],
  ['hook', jsonFlag],
  ['rebuild', jsonFlag],
  ['latency', jsonFlag],
];

const results: Record<string, unknown> = {};
let failed = false;
for (const [name, args] of benches) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'bench', `${name}.ts`), ...args], {
    stdio: ['ignore', asJson ? 'pipe' : 'inherit', 'inherit'],
    encoding: 'utf8',
  });
  if (run.status !== 0) failed = true;
  else if (asJson) results[name] = JSON.parse(run.stdout);
}
if (asJson) process.stdout.write(`${JSON.stringify(results)}\n`);
process.exitCode = failed ? 1 : 0;
