import type postgres from 'postgres';

// "Bad input never changes data": a checksum of every table in the public schema, computed
// in SQL (md5 over the rows' text, sorted, so it does not depend on physical order). Tables
// are read from the catalog, so a table added later is covered without editing this file.
//
// Excluded, each because a rejected request is meant to write it:
// - rate_limit_counters: failed sign-ins, SMS code requests and wrong kiosk PINs/QRs count
//   against their limits even though they are refused; counting them is the point.
export const CHECKSUM_EXCLUDED_TABLES = ['rate_limit_counters'] as const;

export type Checksum = Record<string, { rows: number; md5: string }>;

export async function businessChecksum(sql: postgres.Sql): Promise<Checksum> {
  const tables = await sql<{ name: string }[]>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> all(${[...CHECKSUM_EXCLUDED_TABLES]})
    order by table_name`;
  const out: Checksum = {};
  for (const { name } of tables) {
    const [row] = await sql<{ rows: number; md5: string }[]>`
      select count(*)::int as rows, md5(coalesce(string_agg(r, E'\n' order by r), '')) as md5
      from (select t::text as r from ${sql(name)} t) s`;
    out[name] = row!;
  }
  return out;
}

/** The tables whose content differs, for a readable failure. */
export function changedTables(before: Checksum, after: Checksum): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names]
    .filter((n) => before[n]?.md5 !== after[n]?.md5)
    .map((n) => `${n} (${before[n]?.rows ?? '-'} -> ${after[n]?.rows ?? '-'} rows)`);
}
