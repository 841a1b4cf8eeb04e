import postgres, { type Sql } from 'postgres';

export type { Sql };

export interface ConnectOptions {
  max?: number;
  applicationName?: string;
}

/**
 * One place that knows how Arrakis talks to Postgres: int8 positions come back as numbers
 * (they stay far below 2^53), notices are not printed, and no session may sit idle inside a
 * transaction, because an open transaction holding an xid pauses every projector.
 */
export function connect(url: string, { max = 10, applicationName = 'arrakis' }: ConnectOptions = {}): Sql {
  return postgres(url, {
    max,
    onnotice: () => {},
    idle_timeout: 60,
    connect_timeout: 10,
    types: {
      int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
    },
    connection: {
      application_name: applicationName,
      idle_in_transaction_session_timeout: 60_000,
    },
  });
}
