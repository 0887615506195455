import path from 'node:path';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { createDb } from './index';

export const MIGRATIONS_FOLDER = path.resolve(/*turbopackIgnore: true*/ process.cwd(), 'drizzle');

/**
 * Applies every pending drizzle-kit migration, in order, each in a transaction. Give it a direct
 * URL to PostgreSQL (DATABASE_DIRECT_URL), never a transaction pooler: the advisory lock below
 * belongs to a session, and a pooler would release it with the first statement.
 */
export async function runMigrations(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // Serialise concurrent migrators (several launchers, test workers) on one database.
    await sql`select pg_advisory_lock(727274)`;
    await migrate(createDb(sql), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await sql.end({ timeout: 5 });
  }
}
