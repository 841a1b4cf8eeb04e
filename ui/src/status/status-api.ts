import { api, ApiError } from '../lib/http.js';

export interface Generation {
  generation: number;
  version: number;
  position: number;
  lag: number;
  status: string;
  lastError: string | null;
  owner: string | null;
  updatedAt: string;
}

export interface Projection extends Generation {
  name: string;
  parked: number;
  building: Generation | null;
}

export interface ParkedEvent {
  id: number;
  position: number;
  eventType: string;
  error: string;
  parkedAt: string;
  retryRequestedAt: string | null;
}

export interface HookHost {
  host: string;
  firstSeen: string;
  lastSeen: string;
  events: number;
  hookVersion: string | null;
  retries: number;
  attempts: number;
  lateArrivals: { count: number; maxLagMs: number };
}

export interface IngestStats {
  minutes: number;
  rejectedSince: string;
  buckets: Array<{ at: string; events: number; rejected: number }>;
}

export const fetchProjections = () => api<Projection[]>('/api/projections');
export const fetchParked = (name: string) => api<ParkedEvent[]>(`/api/projections/${encodeURIComponent(name)}/parked`);
export const fetchHookHealth = () => api<HookHost[]>('/api/hook-health');
export const fetchIngest = (minutes: number) => api<IngestStats>(`/api/stats/ingest?minutes=${minutes}`);

/** Why an admin action was refused, worded for the person who clicked. */
export function refusal(error: unknown): string {
  if (error instanceof ApiError && error.status === 403) return 'Refused: this needs an admin login, and you are signed in with the read key.';
  return `Failed: ${(error as Error).message}`;
}

export const retryParked = (name: string, id: number) =>
  api<{ position: number }>(`/api/projections/${encodeURIComponent(name)}/parked/${id}/retry`, { method: 'POST' });

export const rebuild = (name: string) => api<{ position: number }>(`/api/projections/${encodeURIComponent(name)}/rebuild`, { method: 'POST' });
