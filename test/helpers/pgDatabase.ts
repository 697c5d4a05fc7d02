// A throwaway PostgreSQL database per test file, created through the `postgres` maintenance
// database and dropped afterwards. PostgreSQL tests must not pass silently when the server is
// missing: they fail with this module's message unless SKIP_POSTGRES_TESTS=1.
import { randomBytes } from 'node:crypto';
import type { StoreConfig } from '../../nodes/shared/store/db';

export const PG_HOST = process.env.PGHOST_TEST || '127.0.0.1';
export const PG_PORT = Number(process.env.PGPORT_TEST || 5432);
export const PG_USER = process.env.PGUSER_TEST || 'postgres';
export const skipPostgres = process.env.SKIP_POSTGRES_TESTS === '1';

export type PgConfig = Extract<StoreConfig, { backend: 'postgres' }>;

async function admin<T>(fn: (client: import('pg').Client) => Promise<T>): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require('pg') as typeof import('pg');
  const client = new pg.Client({ host: PG_HOST, port: PG_PORT, user: PG_USER, database: 'postgres', connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${PG_USER}@${PG_HOST}:${PG_PORT} (${(error as Error).message}). ` +
        'Start it, or set SKIP_POSTGRES_TESTS=1 to skip the PostgreSQL half of the suite.',
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface ThrowawayDatabase {
  config: PgConfig;
  drop(): Promise<void>;
}

/** Creates `draft_assistant_test_<random>`; drop() terminates leftover sessions and removes it. */
export async function createThrowawayDatabase(): Promise<ThrowawayDatabase> {
  const name = `draft_assistant_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    config: { backend: 'postgres', host: PG_HOST, port: PG_PORT, database: name, user: PG_USER },
    async drop() {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
