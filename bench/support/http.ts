import http from 'node:http';
import type { Sql } from 'postgres';
import type { Appender } from '../../core/group-commit.js';
import type { Keys } from '../../core/keys.js';
import { createApp } from '../../server/app.js';
import { listen } from '../../server/http.js';

export interface IngestServer {
  url: string;
  close(): Promise<void>;
}

/** The real app on a real socket, so the figure includes HTTP parsing, auth, validation and hashing. */
export async function startIngestServer(sql: Sql, appender: Appender, keys: Keys): Promise<IngestServer> {
  const server = await listen(createApp({ sql, appender, keys }), { port: 0 });
  return { url: `${server.url}api/claude-hooks`, close: () => server.close() };
}

/**
 * What HTTP alone costs here: a server that reads each body and answers 201, nothing else,
 * in this process like the real one. Ingest can only approach it, so beside the baseline
 * it says how much of a target the machine leaves to the ingest path itself.
 */
export async function startEmptyServer(): Promise<IngestServer> {
  const server = http.createServer((request, response) => {
    request.on('data', () => {});
    request.on('end', () => response.writeHead(201, { 'content-type': 'application/json' }).end('{"stored":1}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/api/claude-hooks`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface Poster {
  post(body: string): Promise<void>;
  close(): void;
}

/** One keep-alive socket per client, as a hook process pool would hold; anything but 201 is an error. */
export function poster(url: string, ingestKey: string, clients: number): Poster {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const target = new URL(url);
  return {
    post: (body) =>
      new Promise<void>((resolve, reject) => {
        const request = http.request(
          {
            agent,
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              authorization: `Bearer ${ingestKey}`,
            },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () => {
              if (response.statusCode === 201) resolve();
              else reject(new Error(`ingest answered ${response.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`));
            });
          },
        );
        request.on('error', reject);
        request.end(body);
      }),
    close: () => agent.destroy(),
  };
}
