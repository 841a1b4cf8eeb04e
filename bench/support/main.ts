/**
 * Runs a benchmark's main with a cleanup list that always runs, in reverse, whether the
 * benchmark finished or failed (databases dropped, servers and clusters stopped).
 */
export function runBench(main: (cleanup: Array<() => Promise<void>>) => Promise<void>): void {
  const cleanup: Array<() => Promise<void>> = [];
  main(cleanup)
    .catch((error) => {
      process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
      process.exitCode = 1;
    })
    .finally(async () => {
      for (const step of cleanup.reverse()) await step().catch(() => {});
    });
}
