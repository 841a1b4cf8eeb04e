import { silentLogger, type Logger } from '../core/log.js';
import type { AlertLevel, Finding, Rule } from './alert-rules.js';
import { alertWebhook, type AlertNotice } from './alert-webhook.js';

/** An alert firing now, as `GET /api/health` lists it under checks.alerts. */
export interface Alert {
  id: string;
  level: AlertLevel;
  message: string;
  /** When it was raised (at its current level). */
  since: string;
  details?: Record<string, unknown>;
}

export interface AlertsOptions {
  rules: readonly Rule[];
  logger?: Logger;
  clock?: () => Date;
  intervalMs?: number;
  webhookUrl?: string;
  webhookTimeoutMs?: number;
}

export interface Alerts {
  /** One pass over every rule; resolves with the alerts firing afterwards. */
  evaluate(): Promise<Alert[]>;
  firing(): Alert[];
  /** Evaluates now and then every intervalMs, until stop(). */
  start(): void;
  stop(): Promise<void>;
}

interface Firing {
  alert: Alert;
  rule: string;
  recovery: string;
}

const severity: Record<AlertLevel, number> = { critical: 0, warning: 1 };

/**
 * Runs the alert rules in the server process. Each raise (or change of level) and each clear
 * is one log line and, when a webhook is configured, one notice; a clear is logged at info
 * with the rule's recovery message.
 */
export function createAlerts({ rules, logger = silentLogger, clock = () => new Date(), intervalMs = 30_000, webhookUrl, webhookTimeoutMs }: AlertsOptions): Alerts {
  const webhook = webhookUrl ? alertWebhook(webhookUrl, { logger, timeoutMs: webhookTimeoutMs }) : null;
  const state = new Map<string, Firing>();
  // Rules whose last check threw: logged once per streak, not on every pass while the database is away.
  const blind = new Set<string>();
  let passes: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  function notify(transition: AlertNotice['state'], alert: Alert, level: AlertNotice['level'], message: string, at: Date): void {
    webhook?.send({ source: 'arrakis', state: transition, id: alert.id, level, message, since: alert.since, at: at.toISOString(), details: alert.details });
  }

  function raise(rule: string, finding: Finding, now: Date): void {
    const previous = state.get(finding.id);
    const { id, level, message, details } = finding;
    const since = previous && previous.alert.level === level ? previous.alert.since : now.toISOString();
    const alert: Alert = { id, level, message, since, ...(details ? { details } : {}) };
    state.set(id, { alert, rule, recovery: finding.recovery });
    if (previous?.alert.level === level) return;
    const fields = { alert: id, severity: level, message, details, ...(previous ? { previousSeverity: previous.alert.level } : {}) };
    if (level === 'critical') logger.error('alert raised', fields);
    else logger.warn('alert raised', fields);
    notify('raised', alert, level, message, now);
  }

  function clear({ alert, recovery }: Firing, now: Date): void {
    state.delete(alert.id);
    logger.info('alert cleared', { alert: alert.id, severity: 'info', message: recovery, was: alert.level, since: alert.since });
    notify('cleared', alert, 'info', recovery, now);
  }

  async function pass(): Promise<void> {
    const now = clock();
    for (const rule of rules) {
      let findings: Finding[];
      try {
        findings = await rule.check(now);
      } catch (error) {
        if (!blind.has(rule.name)) logger.warn('alert rule cannot check', { rule: rule.name, error: String((error as Error)?.message ?? error) });
        blind.add(rule.name);
        continue;
      }
      if (blind.delete(rule.name)) logger.info('alert rule checks again', { rule: rule.name });
      for (const finding of findings) raise(rule.name, finding, now);
      const found = new Set(findings.map((f) => f.id));
      for (const firing of [...state.values()]) if (firing.rule === rule.name && !found.has(firing.alert.id)) clear(firing, now);
    }
  }

  const firing = () =>
    [...state.values()].map((f) => f.alert).sort((a, b) => severity[a.level] - severity[b.level] || a.id.localeCompare(b.id));

  const evaluate = () => {
    // Passes never overlap: a slow database delays the next one instead of doubling its load.
    const next = passes.then(pass);
    passes = next.catch(() => {});
    return next.then(firing);
  };

  function tick(): void {
    timer = null;
    void evaluate()
      .catch((error: unknown) => logger.error('alert evaluation failed', { error: String((error as Error)?.stack ?? error) }))
      .finally(() => {
        if (stopped) return;
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      });
  }

  return {
    evaluate,
    firing,
    start: tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await passes;
      await webhook?.close();
    },
  };
}
