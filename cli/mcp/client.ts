import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '../../core/paths.js';
import { statuslineUrl } from '../statusline.js';

/** What a tool reports to the model as its error result: what went wrong and what to do. */
export class ReadFailed extends Error {}

export interface ReadApi {
  readonly origin: string;
  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T>;
}

export interface ReadApiOptions {
  url?: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * ARRAKIS_READ_KEY, else the read key `arrakis start` wrote to keys.json. The admin key is
 * never looked for: a model's tools only read, and the server keeps whatever else is asked.
 */
export function readKey(env: NodeJS.ProcessEnv): string | undefined {
  if (env.ARRAKIS_READ_KEY) return env.ARRAKIS_READ_KEY;
  const dir = env.ARRAKIS_DATA_DIR ? resolve(env.ARRAKIS_DATA_DIR) : join(projectRoot, '.arrakis');
  try {
    const keys = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')) as { read?: unknown };
    return typeof keys.read === 'string' ? keys.read : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The server's read API over HTTP, so the MCP server runs beside Claude Code on any machine.
 * The key is looked up on every call: a server started (or a key written) after Claude Code
 * launched this process is found without restarting it.
 */
export function readApi({ url, env, timeoutMs = 30_000 }: ReadApiOptions): ReadApi {
  const base = statuslineUrl(url, env);
  const root = base.href.endsWith('/') ? base.href : `${base.href}/`;
  return {
    origin: base.origin,
    async get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
      const key = readKey(env);
      if (!key) throw new ReadFailed('Arrakis has no read key here: set ARRAKIS_READ_KEY (the MCP server\'s env in Claude Code\'s settings), or run it where `arrakis start` keeps its keys (ARRAKIS_DATA_DIR).');
      const endpoint = new URL(path.replace(/^\//, ''), root);
      for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') endpoint.searchParams.set(name, String(value));
      let response: Response;
      try {
        response = await fetch(endpoint, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        const reason = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
        throw new ReadFailed(`cannot reach the Arrakis server at ${base.origin} (${reason}): is it running (\`arrakis start\`), and is ARRAKIS_URL right?`);
      }
      const body = (await response.json().catch(() => null)) as (T & { message?: string }) | null;
      if (response.ok && body !== null) return body;
      const said = body?.message ? `: ${body.message}` : '';
      if (response.status === 401 || response.status === 403) {
        throw new ReadFailed(`the Arrakis server at ${base.origin} refused the key (${response.status}${said}): ARRAKIS_READ_KEY must be its read key, not the ingest key.`);
      }
      if (response.status === 404) throw new ReadFailed(`not found${said}`);
      throw new ReadFailed(`the Arrakis server at ${base.origin} answered ${response.status}${said}`);
    },
  };
}
