// The statusline runs after every assistant message: only node: built-ins here, no zod, no
// postgres, no fetch (undici's first use costs more than node:http's whole request).
import { readFileSync, readlinkSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { projectRoot } from '../core/paths.js';
import type { StatuslineReport } from '../projections/usage/report.js';

export const OFFLINE = 'arrakis: offline';
const TIMEOUT_MS = 400;

/** --url, else ARRAKIS_URL, else where `arrakis start` listens by default (HOST, PORT). */
export function statuslineUrl(given: string | undefined, env: NodeJS.ProcessEnv): URL {
  if (given ?? env.ARRAKIS_URL) return new URL(given ?? env.ARRAKIS_URL!);
  const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
  return new URL(`http://${host.includes(':') ? `[${host}]` : host}:${env.PORT || 8787}/`);
}

/** A read key from the environment, else keys.json in ARRAKIS_DATA_DIR or the checkout's .arrakis/. */
export function statuslineKey(env: NodeJS.ProcessEnv): string | undefined {
  if (env.ARRAKIS_READ_KEY) return env.ARRAKIS_READ_KEY;
  if (env.ARRAKIS_ADMIN_KEY) return env.ARRAKIS_ADMIN_KEY;
  const dir = env.ARRAKIS_DATA_DIR ? resolve(env.ARRAKIS_DATA_DIR) : join(projectRoot, '.arrakis');
  try {
    const keys = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')) as { read?: unknown; admin?: unknown };
    return typeof keys.read === 'string' ? keys.read : typeof keys.admin === 'string' ? keys.admin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The machine's zone without waking ICU (Intl's first use costs ~15 ms): TZ, else the
 * /etc/localtime link's target, else Intl after all.
 */
export function machineZone(env: NodeJS.ProcessEnv): string {
  const given = env.TZ?.replace(/^:/, '');
  if (given && /^[A-Za-z]+(\/[A-Za-z0-9_+\-]+)+$|^UTC$/.test(given)) return given;
  try {
    const zone = /zoneinfo\/(.+)$/.exec(readlinkSync('/etc/localtime'))?.[1];
    if (zone && /^[A-Za-z0-9_+\-/]+$/.test(zone)) return zone;
  } catch {
    // No link (containers, Windows): ask Intl.
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const money = (usd: number) => `$${usd.toFixed(2)}`;
const left = (minutes: number) => (minutes >= 60 ? `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m` : `${minutes}m`);

/** `$0.42 session · $3.10 today · $2.05/h · 2h13m left`; parts without data are left out. */
export function formatStatusline(report: StatuslineReport): string {
  const parts: string[] = [];
  if (report.session) parts.push(`${money(report.session.costUsd)} session`);
  parts.push(`${money(report.today.costUsd)} today`);
  if (report.block) {
    if (report.block.burnRate) parts.push(`${money(report.block.burnRate.costPerHour)}/h`);
    parts.push(`${left(report.block.remainingMinutes)} left`);
  } else parts.push('no active block');
  return parts.join(' · ');
}

/** GET with a deadline; resolves with the parsed JSON body of a 200, rejects otherwise. */
async function getJson(url: URL, key: string, timeoutMs: number): Promise<unknown> {
  // node:https pulls in TLS: loaded only for an https URL.
  const send = url.protocol === 'https:' ? (await import('node:https')).request : request;
  return new Promise((done, fail) => {
    const req = send(url, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' }, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) return fail(new Error(`HTTP ${res.statusCode}`));
        try {
          done(JSON.parse(body));
        } catch (error) {
          fail(error);
        }
      });
      res.on('error', fail);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', fail);
    req.end();
  });
}

async function readAll(stdin: NodeJS.ReadableStream, timeoutMs: number): Promise<string> {
  if ((stdin as { isTTY?: boolean }).isTTY) return '';
  let text = '';
  const reading = (async () => {
    for await (const chunk of stdin) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  })();
  await Promise.race([reading, new Promise((wake) => setTimeout(wake, timeoutMs).unref())]);
  return text;
}

export interface StatuslineIo {
  env?: NodeJS.ProcessEnv;
  stdin?: NodeJS.ReadableStream;
  out?: (line: string) => void;
  timeoutMs?: number;
}

/**
 * `arrakis statusline`: Claude Code's statusLine command. Reads its JSON on stdin, prints one
 * line and exits 0 whatever happens: an unreachable server or a bad answer print `arrakis: offline`.
 */
export async function statuslineCommand(args: string[], { env = process.env, stdin = process.stdin, out = (l) => process.stdout.write(`${l}\n`), timeoutMs = TIMEOUT_MS }: StatuslineIo = {}): Promise<number> {
  try {
    const at = args.indexOf('--url');
    const url = statuslineUrl(at >= 0 ? args[at + 1] : undefined, env);
    let sessionId: string | undefined;
    try {
      const input = JSON.parse(await readAll(stdin, timeoutMs)) as { session_id?: unknown };
      if (typeof input.session_id === 'string' && input.session_id !== '') sessionId = input.session_id;
    } catch {
      // No or bad input: today and the block still mean something.
    }
    const key = statuslineKey(env);
    if (!key) {
      out('arrakis: no read key');
      return 0;
    }
    const endpoint = new URL('api/usage/statusline', url.href.endsWith('/') ? url : `${url.href}/`);
    if (sessionId) endpoint.searchParams.set('session', sessionId);
    endpoint.searchParams.set('tz', machineZone(env));
    out(formatStatusline((await getJson(endpoint, key, timeoutMs)) as StatuslineReport));
  } catch {
    out(OFFLINE);
  }
  return 0;
}
