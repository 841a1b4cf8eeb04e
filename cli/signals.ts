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
