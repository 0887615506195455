import { sql } from 'drizzle-orm';

/** A timestamp parameter for raw `sql` fragments (postgres.js does not serialise a bare Date there). */
export function tsParam(date: Date) {
  return sql`${date.toISOString()}::timestamptz`;
}
