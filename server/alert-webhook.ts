import type { Logger } from '../core/log.js';

/** What the webhook receives, one POST per raise or clear. */
export interface AlertNotice {
  source: 'arrakis';
  state: 'raised' | 'cleared';
  id: string;
  level: 'critical' | 'warning' | 'info';
  message: string;
  since: string;
  at: string;
  details?: Record<string, unknown>;
}

export interface AlertWebhook {
  send(notice: AlertNotice): void;
  /** Aborts what is still being sent and waits for it to settle. */
  close(): Promise<void>;
}

/**
 * POSTs notices as JSON, one at a time so a clear never overtakes its raise. A failing or
 * hanging receiver costs at most `timeoutMs` per notice and a log line; evaluation never
 * waits for it. The URL is not logged: webhook URLs often carry their secret.
 */
export function alertWebhook(url: string, { logger, timeoutMs = 5000 }: { logger: Logger; timeoutMs?: number }): AlertWebhook {
  const closing = new AbortController();
  let queue = Promise.resolve();

  async function post(notice: AlertNotice): Promise<void> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(notice),
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), closing.signal]),
      });
      await res.body?.cancel();
      if (!res.ok) logger.warn('alert webhook failed', { alert: notice.id, state: notice.state, status: res.status });
    } catch (error) {
      // fetch says only "fetch failed"; the reason (refused, reset, DNS) is its cause.
      const { message, cause } = error as Error & { cause?: { message?: string } };
      logger.warn('alert webhook failed', { alert: notice.id, state: notice.state, error: cause?.message ? `${message}: ${cause.message}` : String(message ?? error) });
    }
  }

  return {
    send(notice) {
      queue = queue.then(() => post(notice));
    },
    async close() {
      closing.abort();
      await queue;
    },
  };
}
