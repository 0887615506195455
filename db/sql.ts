import { sql } from 'drizzle-orm';

/** A timestamp parameter for raw `sql` fragments (postgres.js does not serialise a bare Date there). */
export function tsParam(date: Date) {
  return sql`${date.toISOString()}::timestamptz`;
}

/** `%text%` for LIKE/ILIKE with the wildcards in `text` escaped, so they match literally. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
