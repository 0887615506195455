import { sql, type SQL } from 'drizzle-orm';

// Does a good fit a cell? The parcel may be turned any way (rotations allowed): sort both
// boxes' sides and compare longest to longest, middle to middle, shortest to shortest.
// The same rule in SQL (for queries) and in TypeScript (for the UI and tests).

export type Box = { height: number; length: number; width: number };

const sorted = (b: Box) => [b.height, b.length, b.width].sort((x, y) => y - x);

export function fitsInCell(good: Box, cell: Box): boolean {
  const g = sorted(good);
  const c = sorted(cell);
  return c.every((side, i) => side >= (g[i] ?? Infinity));
}

type SqlBox = { height: SQL | unknown; length: SQL | unknown; width: SQL | unknown };

/** SQL boolean: `cell` fits `good` (either may be columns or values). */
export function fitsInCellSql(good: SqlBox, cell: SqlBox): SQL {
  // Explicit casts: bare parameters inside greatest()/least() would otherwise be typed text.
  const n = (v: unknown) => sql`(${v})::numeric`;
  const max = (b: SqlBox) => sql`greatest(${n(b.height)}, ${n(b.length)}, ${n(b.width)})`;
  const min = (b: SqlBox) => sql`least(${n(b.height)}, ${n(b.length)}, ${n(b.width)})`;
  const mid = (b: SqlBox) => sql`(${n(b.height)} + ${n(b.length)} + ${n(b.width)} - ${max(b)} - ${min(b)})`;
  return sql`(${max(cell)} >= ${max(good)} and ${mid(cell)} >= ${mid(good)} and ${min(cell)} >= ${min(good)})`;
}
