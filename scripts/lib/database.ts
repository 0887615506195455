import { env } from '@/env';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@/db/embedded';
import type { Logger } from '@/lib/logger';

export const EMBEDDED_DATABASE = 'skypost_delivery';

export type OpenDatabase = {
  /** For queries: possibly through a pooler such as PgBouncer. */
  url: string;
  /** PostgreSQL itself: migrations, the first-run seed and every LISTEN (DATABASE_DIRECT_URL, else url). */
  directUrl: string;
  /** Named prepared statements on `url` (DATABASE_PREPARE; always on for the embedded database). */
  prepare: boolean;
  embedded: EmbeddedPostgres | null;
  stop(): Promise<void>;
};

/** DATABASE_URL when set; otherwise the embedded PostgreSQL 17 in EMBEDDED_PG_DATA. */
export async function openDatabase(log: Logger): Promise<OpenDatabase> {
  const e = env();
  if (e.DATABASE_URL) {
    return {
      url: e.DATABASE_URL,
      directUrl: e.DATABASE_DIRECT_URL ?? e.DATABASE_URL,
      prepare: e.DATABASE_PREPARE,
      embedded: null,
      stop: async () => {},
    };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: e.EMBEDDED_PG_DATA,
    port: e.EMBEDDED_PG_PORT,
    database: EMBEDDED_DATABASE,
    log: log.child({ scope: 'postgres' }),
  });
  return { url: embedded.url, directUrl: embedded.url, prepare: true, embedded, stop: () => embedded.stop() };
}

/** Hides the password when a URL is printed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
