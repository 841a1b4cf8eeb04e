import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../core/paths.js';

// `docker compose` (v2 plugin) or `docker-compose` (v1) validates the file without an engine.
function composeCommand(): string[] | null {
  if (spawnSync('docker', ['compose', 'version']).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version']).status === 0) return ['docker-compose'];
  return null;
}

const compose = composeCommand();

describe.skipIf(compose === null)('docker-compose.yml', () => {
  it('is valid with the variables of .env.example filled in, and refuses to run without them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'arrakis-compose-'));
    try {
      const env = join(dir, '.env');
      await writeFile(env, 'POSTGRES_PASSWORD=p\nARRAKIS_INGEST_KEY=i234567890123456\nARRAKIS_READ_KEY=r234567890123456\nARRAKIS_ADMIN_KEY=a234567890123456\n');
      const [cmd, ...args] = compose!;
      const file = join(projectRoot, 'docker-compose.yml');
      const config = execFileSync(cmd!, [...args, '--env-file', env, '-f', file, 'config'], { encoding: 'utf8' });
      expect(config).toContain('DATABASE_URL: postgres://arrakis:p@postgres:5432/arrakis');
      expect(config).toMatch(/127\.0\.0\.1/);
      expect(config).toMatch(/projector:[\s\S]*- project/);
      const empty = join(dir, 'empty.env');
      await writeFile(empty, '');
      const missing = spawnSync(cmd!, [...args, '--env-file', empty, '-f', file, 'config', '-q'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH },
      });
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toMatch(/POSTGRES_PASSWORD/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
