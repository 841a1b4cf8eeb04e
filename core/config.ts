import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';

/** Server-side environment of the public contract; parsed once at startup so bad config fails fast. */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

const key = z.preprocess(
  unsetIfEmpty,
  z.string().min(16, 'must be at least 16 characters').regex(/^[\x21-\x7e]+$/, 'must be printable ASCII').optional(),
);

export const serverEnvSchema = z.object({
  DATABASE_URL: z.preprocess(unsetIfEmpty, z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional()),
  ARRAKIS_DATA_DIR: z.preprocess(unsetIfEmpty, z.string().default('./.arrakis')),
  HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  PORT: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(65535).default(8787)),
  ARRAKIS_INGEST_KEY: key,
  ARRAKIS_READ_KEY: key,
  ARRAKIS_ADMIN_KEY: key,
  ARRAKIS_BODY_LIMIT: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1024).default(32 * 1024 * 1024)),
  ARRAKIS_ALERT_WEBHOOK_URL: z.preprocess(unsetIfEmpty, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
  ARRAKIS_ALERT_INTERVAL_MS: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1000).default(30_000)),
});

export interface ServerConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  givenKeys: { ingest?: string; read?: string; admin?: string };
  bodyLimitBytes: number;
  /** Where alert raises and clears are POSTed as JSON, if anywhere. */
  alertWebhookUrl: string | undefined;
  alertIntervalMs: number;
}

export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = serverEnvSchema.safeParse(env);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${reasons}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.ARRAKIS_DATA_DIR),
    host: e.HOST,
    port: e.PORT,
    givenKeys: { ingest: e.ARRAKIS_INGEST_KEY, read: e.ARRAKIS_READ_KEY, admin: e.ARRAKIS_ADMIN_KEY },
    bodyLimitBytes: e.ARRAKIS_BODY_LIMIT,
    alertWebhookUrl: e.ARRAKIS_ALERT_WEBHOOK_URL,
    alertIntervalMs: e.ARRAKIS_ALERT_INTERVAL_MS,
  };
}
