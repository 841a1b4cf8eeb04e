/**
 * `npm run chaos`: thousands of real hook invocations while the server and the projector are
 * SIGKILLed and Postgres crashes, then the checks. Progress goes to stderr; stdout gets the
 * summary, or with --json one JSON object. Exits 1 on any loss, duplicate, projection that
 * differs from its rebuild, or envelope left behind; 2 on bad arguments.
 */
import { runChaos } from './chaos.js';
import { parseArgs, usage } from './options.js';
import { summary } from './summary.js';

let parsed: ReturnType<typeof parseArgs>;
try {
  parsed = parseArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`chaos: ${(error as Error).message}\n${usage}\n`);
  process.exit(2);
}
if (parsed.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
// Ctrl-C: the 'exit' handler runChaos installed kills the server, projector and Postgres.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

try {
  const report = await runChaos({ ...parsed.options, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(parsed.json ? `${JSON.stringify(report)}\n` : `${summary(report)}\n`);
  process.exitCode = report.ok ? 0 : 1;
} catch (error) {
  process.stderr.write(`chaos: the run itself failed: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
}
