export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';
export type Check = { status: 'up'; latencyMs: number } | { status: 'down'; error: string };

export interface Alert {
  id: string;
  level: 'critical' | 'warning';
  message: string;
  since: string;
}

export interface ProjectionCheck {
  lag: number;
  status: string;
  parked: number;
}

export interface Health {
  status: HealthStatus;
  database: Check;
  /** Empty when the database could not be asked. */
  projections: Record<string, ProjectionCheck>;
  alerts: Alert[];
}

const statuses: readonly string[] = ['healthy', 'degraded', 'unhealthy'] satisfies HealthStatus[];

function isCheck(value: unknown): value is Check {
  if (typeof value !== 'object' || value === null) return false;
  const check = value as Record<string, unknown>;
  if (check.status === 'up') return typeof check.latencyMs === 'number';
  return check.status === 'down' && typeof check.error === 'string';
}

function isProjectionCheck(value: unknown): value is ProjectionCheck {
  if (typeof value !== 'object' || value === null) return false;
  const check = value as Record<string, unknown>;
  return typeof check.lag === 'number' && typeof check.status === 'string' && typeof check.parked === 'number';
}

function isAlert(value: unknown): value is Alert {
  if (typeof value !== 'object' || value === null) return false;
  const alert = value as Record<string, unknown>;
  return typeof alert.id === 'string' && (alert.level === 'critical' || alert.level === 'warning') && typeof alert.message === 'string' && typeof alert.since === 'string';
}

// The page renders these fields, so a proxy's error page must not pass for a report; an alert
// of a shape this page does not know is dropped rather than failing the whole report.
function parseHealth(value: unknown): Health | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { status, checks } = value as { status?: unknown; checks?: { database?: unknown; projections?: unknown; alerts?: unknown } };
  if (typeof status !== 'string' || !statuses.includes(status) || typeof checks !== 'object' || checks === null) return undefined;
  if (!isCheck(checks.database)) return undefined;
  const alerts = Array.isArray(checks.alerts) ? checks.alerts.filter(isAlert) : [];
  const projections = typeof checks.projections === 'object' && checks.projections !== null ? checks.projections : {};
  return {
    status: status as HealthStatus,
    database: checks.database,
    projections: Object.fromEntries(Object.entries(projections).filter(([, check]) => isProjectionCheck(check))),
    alerts,
  };
}

/** `GET /api/health`. Rejects only when the server cannot be reached or understood: 503 is a valid "unhealthy" answer. */
export async function fetchHealth(): Promise<Health> {
  const response = await fetch('/api/health', {
    headers: { accept: 'application/json' },
    cache: 'no-store',
    // A hung server should read as unreachable before the next refresh is due.
    signal: AbortSignal.timeout(4000),
  }).catch(() => {
    // Browsers word network failures differently and vaguely; one plain message reads better on the page.
    throw new Error('no answer from the server');
  });
  if (!response.ok && response.status !== 503) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  const health = parseHealth(await response.json().catch(() => undefined));
  if (!health) throw new Error('the answer was not a health report');
  return health;
}
