import { connect } from '../core/db.js';
import { loadServerConfig, type ServerConfig } from '../core/config.js';
import { checkCapture } from './doctor-capture.js';
import { checkClockSkew, checkHookInstalled, checkKeys, checkMigrations, checkProjections, checkServer, checkSpool, type Finding } from './doctor-checks.js';
import { embeddedUrl } from './doctor-database.js';

export interface DoctorIo {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  out?: (line: string) => void;
}

const marks = { ok: '✓', warn: '!', fail: '✗' } as const;

function serverUrl(config: ServerConfig, env: NodeJS.ProcessEnv): string {
  if (env.ARRAKIS_URL) return new URL(env.ARRAKIS_URL).toString();
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}/`;
}

async function databaseFindings(config: ServerConfig): Promise<Finding[]> {
  const target = config.databaseUrl ? { url: config.databaseUrl } : await embeddedUrl(config.dataDir);
  const where = config.databaseUrl ? 'DATABASE_URL' : 'the embedded database';
  if ('problem' in target) return [{ check: 'database', verdict: 'fail', detail: target.problem, fix: 'start Arrakis: `npm start` (it runs the embedded database), or set DATABASE_URL' }];
  const sql = connect(target.url, { max: 1, applicationName: 'arrakis-doctor' });
  try {
    const [row] = await sql<{ version: string }[]>`select current_setting('server_version') as version`;
    const findings: Finding[] = [{ check: 'database', verdict: 'ok', detail: `${where} answers (PostgreSQL ${row!.version})` }];
    findings.push(await checkMigrations(sql).catch((e: Error) => ({ check: 'migrations', verdict: 'fail' as const, detail: e.message, fix: 'run `npx arrakis migrate`' })));
    findings.push(...(await checkProjections(sql).catch(() => [])));
    findings.push(...(await checkClockSkew(sql).catch(() => [])));
    findings.push(...(await checkCapture(sql).catch(() => [])));
    return findings;
  } catch (error) {
    return [{ check: 'database', verdict: 'fail', detail: `${where} does not answer: ${(error as Error).message}`, fix: config.databaseUrl ? 'check DATABASE_URL, the server and its credentials' : 'restart Arrakis (`npm start`)' }];
  } finally {
    await sql.end({ timeout: 2 });
  }
}

/**
 * `arrakis doctor`: every part Arrakis needs, one line each, each problem with its fix.
 * Exits 1 when something fails (warnings alone exit 0).
 */
export async function doctorCommand(args: string[], { env = process.env, cwd = process.cwd(), out = (l) => process.stdout.write(`${l}\n`) }: DoctorIo = {}): Promise<number> {
  if (args.length > 0) {
    out(`arrakis doctor takes no arguments, got: ${args.join(' ')}`);
    return 2;
  }
  const findings: Finding[] = [];
  let config: ServerConfig;
  try {
    config = loadServerConfig(env);
    findings.push({ check: 'config', verdict: 'ok', detail: `data dir ${config.dataDir}, server ${config.host}:${config.port}` });
  } catch (error) {
    out(`${marks.fail} config: ${(error as Error).message}\n    fix: correct the variable named above (see README, Configuration)`);
    return 1;
  }
  findings.push(...(await databaseFindings(config)));
  findings.push(await checkKeys(config));
  findings.push(await checkServer(serverUrl(config, env)));
  findings.push(await checkHookInstalled(cwd, env));
  findings.push(await checkSpool(env));
  for (const f of findings) out(`${marks[f.verdict]} ${f.check}: ${f.detail}${f.fix ? `\n    fix: ${f.fix}` : ''}`);
  const failed = findings.filter((f) => f.verdict === 'fail').length;
  const warned = findings.filter((f) => f.verdict === 'warn').length;
  out(failed + warned === 0 ? 'all good' : `${failed} problem(s), ${warned} warning(s)`);
  return failed > 0 ? 1 : 0;
}
