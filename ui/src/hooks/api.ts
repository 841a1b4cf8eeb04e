import { api, query } from '../lib/http.js';
import type { HookHost } from '../status/status-api.js';

export type Level = 'info' | 'warn' | 'error';
export const LEVELS: readonly Level[] = ['info', 'warn', 'error'];

/** One line of a hook's own log, as `GET /api/hook-logs` lists it. */
export interface HookLogLine {
  id: string;
  host: string;
  hookVersion: string | null;
  file: string;
  offset: number;
  time: string;
  level: Level;
  event: string | null;
  sessionId: string | null;
  requestId: string | null;
  outcome: string | null;
  message: string;
  line: Record<string, unknown> | null;
  raw: string | null;
  position: number;
}

export interface HookLogPage {
  items: HookLogLine[];
  nextCursor: string | null;
}

/** Each client host's hook, from `GET /api/hook-health`: the status page reads the same. */
export type HostHealth = HookHost;

export interface Filters {
  host: string;
  level: string;
  q: string;
}

export const PAGE_SIZE = 50;

export const fetchLogPage = (filters: Filters, before: string | null = null) =>
  api<HookLogPage>(`/api/hook-logs${query({ host: filters.host, level: filters.level, q: filters.q.trim(), before, limit: PAGE_SIZE })}`);

export const fetchHosts = () => api<HostHealth[]>('/api/hook-health');
