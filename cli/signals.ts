/**
 * Resolves on the first SIGINT or SIGTERM. A second signal while shutting down exits at
 * once, so a stuck shutdown can always be interrupted.
 */
export function untilSignal(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals) => {
      for (const s of signals) {
        process.off(s, first);
        process.once(s, () => process.exit(130));
      }
      resolve(signal);
    };
    for (const s of signals) process.on(s, first);
  });
}

/**
 * A long-running process keeps serving after a promise nobody awaited fails (a connection
 * dropped while Postgres restarts, say): the failure is logged, loudly, instead of ending
 * capture for everyone. Anything thrown synchronously still stops the process.
 */
export function logUnhandledRejections(log: (msg: string, fields: Record<string, unknown>) => void): void {
  process.on('unhandledRejection', (reason) => log('unhandled rejection; still running', { error: String((reason as Error)?.stack ?? reason) }));
}
