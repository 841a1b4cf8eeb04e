// @ts-check
import { watch } from 'node:fs';
import { drain } from './delivery.js';
import { logDelivery } from './log.js';
import { shipLogs } from './log-shipper.js';
import { listEntries, tryLock } from './spool.js';

const REFRESH_MS = 2000;
// While the server is down, the flusher retries this often until it idles out.
const RETRY_MS = 5000;

/**
 * Resolves when the spool directory changes or after `ms`, whichever comes first. fs.watch
 * makes delivery immediate; the timeout is the safety net where watching is unreliable.
 * @param {string} dir @param {number} ms @returns {Promise<void>}
 */
function changeOrTimeout(dir, ms) {
  return new Promise((resolve) => {
    /** @type {import('node:fs').FSWatcher | undefined} */
    let watcher;
    const done = () => {
      clearTimeout(timer);
      watcher?.close();
      resolve();
    };
    const timer = setTimeout(done, ms);
    try {
      watcher = watch(dir, done);
      watcher.on('error', done);
    } catch {
      // No watching here: the timeout alone paces the flusher.
    }
  });
}

/** Shipping the log is a courtesy: whatever goes wrong with it, the flusher carries on. @param {import('./config.js').HookConfig} config */
const shipQuietly = (config) => shipLogs(config).catch(() => {});

/**
 * `--drain`, the background flusher: holds the drain lock (refreshed, so runs know it lives),
 * delivers every spooled envelope, then waits for new ones until idle for `idleMs`. A refused
 * key ends it at once, so the next run starts a flusher with the corrected settings. After
 * letting go of the lock it looks once more, because a run that saw the lock held relied on it.
 * After each pass that delivered, the server is known to be there: the hook's own log lines
 * follow (log-shipper.js), and once more before leaving for those the last runs wrote after.
 * @param {import('./config.js').HookConfig} config
 */
export async function drainInBackground(config) {
  const onResult = (/** @type {import('./spool.js').SpoolEntry} */ entry, /** @type {import('./delivery.js').Result} */ result, /** @type {boolean | undefined} */ more) =>
    logDelivery(config, entry, result, { event: entry.envelope.event, sessionId: entry.envelope.sessionId, mode: 'background' }, more);
  for (;;) {
    const lock = tryLock(config.queueDir);
    if (!lock) return 0;
    const keepFresh = setInterval(() => {
      try {
        lock.refresh();
      } catch {}
    }, REFRESH_MS);
    let stopped = false;
    let delivered = false;
    try {
      for (let lastWork = Date.now(); ; ) {
        const result = await drain(config, { attempts: config.retryAttempts, onResult, held: lock });
        stopped = result.stoppedBy !== undefined;
        if (result.delivered > 0) {
          delivered = true;
          await shipQuietly(config);
        }
        if (result.delivered + result.rejected > 0) lastWork = Date.now();
        const idleLeft = config.flusherIdleMs - (Date.now() - lastWork);
        if (result.refused || idleLeft <= 0) break;
        await changeOrTimeout(config.queueDir, Math.min(stopped ? RETRY_MS : REFRESH_MS, idleLeft));
      }
      if (delivered && !stopped) await shipQuietly(config);
    } finally {
      clearInterval(keepFresh);
      lock.release();
    }
    // Undeliverable envelopes wait for a later run; only ones that arrived as the lock went need this flusher.
    if (stopped || listEntries(config.queueDir).length === 0) return 0;
  }
}
