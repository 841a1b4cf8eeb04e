import { getRequestListener } from '@hono/node-server';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hono } from 'hono';
import type { AppEnv } from './env.js';
import { fastHandlers } from './ingest-fast.js';

export interface RunningServer {
  url: string;
  port: number;
  /** Open sockets, idle keep-alive ones included. */
  connections(): Promise<number>;
  close(): Promise<void>;
}

/** Listens on host:port (port 0 picks a free one) and resolves once bound. */
export function listen(app: Hono<AppEnv>, { hostname = '127.0.0.1', port = 8787, graceMs = 2000 } = {}): Promise<RunningServer> {
  const hono = getRequestListener(app.fetch, { hostname });
  // The ingest routes' own node:http handler when the app has one (server/ingest-fast.ts); Hono for the rest.
  const fast = fastHandlers.get(app);
  const server = createServer(fast ? (incoming, outgoing) => fast(incoming, outgoing) || void hono(incoming, outgoing) : hono);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      const host = hostname.includes(':') ? `[${hostname}]` : hostname;
      resolve({
        url: `http://${host}:${bound}/`,
        port: bound,
        connections: () => new Promise((done, fail) => server.getConnections((error, count) => (error ? fail(error) : done(count)))),
        close: () =>
          new Promise<void>((done) => {
            // Requests in flight finish; idle keep-alive sockets would otherwise hold close() open,
            // and a stream to a client that stopped reading is cut after a grace period.
            const cut = setTimeout(() => server.closeAllConnections(), graceMs);
            server.close(() => {
              clearTimeout(cut);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
