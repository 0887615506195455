import 'server-only';
import { sql } from 'drizzle-orm';
import type { Db } from '../index';

/** Round-trips the database, bounded by a timeout so a hung server cannot hang the probe. */
export async function pingDatabase(db: Db, { timeoutMs }: { timeoutMs: number }): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([db.execute(sql`select 1`).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
