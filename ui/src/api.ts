export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';
export type Check = { status: 'up'; latencyMs: number } | { status: 'down'; error: string };
export interface Health {
  status: HealthStatus;
  /** Only `database` today; later checks join it under their own names. */
  checks: { database: Check } & Record<string, Check>;
}

const statuses: readonly string[] = ['healthy', 'degraded', 'unhealthy'] satisfies HealthStatus[];

function isCheck(value: unknown): value is Check {
  if (typeof value !== 'object' || value === null) return false;
  const check = value as Record<string, unknown>;
  if (check.status === 'up') return typeof check.latencyMs === 'number';
  return check.status === 'down' && typeof check.error === 'string';
}

// The page renders these fields, so a proxy's error page must not pass for a report; a check of a shape this
// page does not know yet is dropped rather than failing the whole report.
function parseHealth(value: unknown): Health | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { status, checks } = value as { status?: unknown; checks?: unknown };
  if (typeof status !== 'string' || !statuses.includes(status)) return undefined;
  if (typeof checks !== 'object' || checks === null) return undefined;
  const known = Object.fromEntries(Object.entries(checks).filter(([, check]) => isCheck(check)));
  const { database } = known;
  return database ? { status: status as HealthStatus, checks: { ...known, database } } : undefined;
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
