import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres, { type Sql } from 'postgres';
import { env } from '@/env';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
/** A transaction handle; domain functions accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export type SqlOptions = {
  /** Named prepared statements (default on); off behind PgBouncer in transaction pooling (DATABASE_PREPARE). */
  prepare?: boolean;
  /** How the connections show in pg_stat_activity. */
  applicationName?: string;
};

export function createSql(url: string, max: number, opts: SqlOptions = {}): Sql {
  return postgres(url, {
    max,
    idle_timeout: 30,
    connect_timeout: 5,
    prepare: opts.prepare ?? true,
    onnotice: () => {},
    connection: { application_name: opts.applicationName ?? 'skypost' },
  });
}

export function createDb(client: Sql): Db {
  return drizzle(client, { schema, casing: undefined });
}

type Pool = { sql: Sql; db: Db };
const globalForDb = globalThis as unknown as { skypostPool?: Pool };

function pool(): Pool {
  if (!globalForDb.skypostPool) {
    const url = env().DATABASE_URL;
    if (!url) {
      throw new Error(
        'DATABASE_URL is not set. Start the app with `npm start` (it runs the embedded database) or set DATABASE_URL.',
      );
    }
    const sql = createSql(url, env().DB_POOL_MAX, { prepare: env().DATABASE_PREPARE });
    // One pool per process, kept across hot reloads in development.
    globalForDb.skypostPool = { sql, db: createDb(sql) };
  }
  return globalForDb.skypostPool;
}

/** The process-wide Drizzle handle (lazy, so `next build` never connects). */
export const db: Db = new Proxy({} as Db, {
  get(_target, prop) {
    const real = pool().db as unknown as Record<PropertyKey, unknown>;
    const value = real[prop];
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(real) : value;
  },
});

export function sqlClient(): Sql {
  return pool().sql;
}
