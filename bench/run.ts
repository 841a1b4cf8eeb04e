/**
 * `npm run bench`: every benchmark, one after another so they do not compete for the two
 * cores, then whether each target holds. With `--json`, one JSON object on stdout holding
 * each benchmark's object by name and `targets`; without, each benchmark's figures as lines.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../core/paths.js';
import { checkTargets } from './support/targets.js';

// `--scale N` is another benchmark altogether (bench/scale.ts): a log of N events beside N/50, and nothing else.
if (process.argv.some((a) => a === '--scale' || a.startsWith('--scale='))) {
  const scale = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'bench', 'scale.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(scale.status ?? 1);
}

const asJson = process.argv.includes('--json');
// Every benchmark reports in JSON here, so the targets can be checked either way.
const jsonFlag = ['--json'];
// Options such as --seconds or --clients belong to the append benchmark.
const benches: Array<[string, string[]]> = [
  ['append', [...process.argv.slice(2).filter((a) => a !== '--json'), '--json']],
  ['hook', jsonFlag],
  ['rebuild', jsonFlag],
  ['partitions', jsonFlag],
  ['latency', jsonFlag],
  ['stream', jsonFlag],
  ['import', jsonFlag],
  ['usage', jsonFlag],
  ['ui', jsonFlag],
];

const results: Record<string, unknown> = {};
let failed = false;
for (const [name, args] of benches) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'bench', `${name}.ts`), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    failed = true;
    continue;
  }
  results[name] = JSON.parse(run.stdout);
  if (!asJson) {
    const { figures = {} } = results[name] as { figures?: Record<string, unknown> };
    process.stdout.write(`\n${name}\n`);
    for (const [figure, value] of Object.entries(figures)) {
      process.stdout.write(`  ${figure.padEnd(32)} ${typeof value === 'number' ? (Number.isInteger(value) ? value : value.toFixed(2)) : value}\n`);
    }
  }
}
const targets = checkTargets(results);
if (asJson) process.stdout.write(`${JSON.stringify({ ...results, targets })}\n`);
else {
  process.stdout.write('\ntargets:\n');
  for (const [name, t] of Object.entries(targets)) {
    process.stdout.write(`  ${t.holds === null ? '?' : t.holds ? '✓' : '✗'} ${name} = ${t.value === null ? 'not measured' : t.value.toFixed(2)} (target ${t.target})\n`);
  }
}
process.exitCode = failed ? 1 : 0;
