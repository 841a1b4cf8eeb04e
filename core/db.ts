import postgres, { type Sql } from 'postgres';
import { JsonText } from './json-text.js';

export type { Sql };

export interface ConnectOptions {
  max?: number;
  applicationName?: string;
  /**
   * Whether each new connection first asks for the array types (needed to send JS arrays as
   * parameters). postgres.js asks from a handler whose promise nobody awaits, so a database
   * that dies during that query leaves an unhandled rejection; a client that crashes its
   * database on purpose and sends no arrays (the chaos harness) turns it off.
   */
  fetchTypes?: boolean;
}

/**
 * Seconds before a pool's next connection attempt after `failures` failed ones. postgres.js
 * counts failures for the whole pool and waits 3^n/100 s (up to 20 s) by default, so a
 * Postgres restart of a few seconds, during which every connection of the pool fails,
 * left the server and the projector waiting some 15 s more after it was back. Arrakis talks
 * to one nearby database: trying again within a second costs it nothing.
 */
export function reconnectDelay(failures: number, random = Math.random): number {
  return (0.5 + random() / 2) * Math.min(0.05 * 2 ** failures, 1);
}

/**
 * One place that knows how Arrakis talks to Postgres: int8 positions come back as numbers
 * (they stay far below 2^53), notices are not printed, and no session may sit idle inside a
 * transaction, because an open transaction holding an xid pauses every projector.
 */
export function connect(url: string, { max = 10, applicationName = 'arrakis', fetchTypes = true }: ConnectOptions = {}): Sql {
  return postgres(url, {
    max,
    fetch_types: fetchTypes,
    onnotice: () => {},
    idle_timeout: 60,
    connect_timeout: 10,
    backoff: (failures: number) => reconnectDelay(failures),
    types: {
      int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
      // postgres.js' own json type, except that JSON text already at hand (JsonText) goes as it is.
      json: { to: 114, from: [114, 3802], serialize: (x: unknown) => (x instanceof JsonText ? x.text : JSON.stringify(x)), parse: (x: string) => JSON.parse(x) },
    },
    connection: {
      application_name: applicationName,
      idle_in_transaction_session_timeout: 60_000,
    },
  });
}
