import 'server-only';
import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { fitsInCellSql, type Box } from '../fit';
import type { DbOrTx } from '../index';
import { likeContains } from '../sql';
import { goods, lockerCellsOut, parcelAutomats } from '../schema';
import { parseCoordinates } from '../coordinates';

export type AutomatChoice = {
  id: string;
  city: string;
  address: string;
  lat: number;
  lon: number;
  isWorking: boolean;
  /** Free pickup cells the good fits in. */
  freeFittingCells: number;
  /** Pickup cells of any state the good fits in (0 = too big for this locker). */
  fittingCells: number;
};

/**
 * Every automat a customer can choose (not archived), with how many of its pickup cells fit the good, and how many of
 * those are free.
 */
export async function listAutomatChoices(db: DbOrTx, good: Box): Promise<AutomatChoice[]> {
  const fits = fitsInCellSql(good, lockerCellsOut);
  const rows = await db
    .select({
      id: parcelAutomats.id,
      city: parcelAutomats.city,
      address: parcelAutomats.address,
      coordinates: parcelAutomats.coordinates,
      isWorking: parcelAutomats.isWorking,
      fittingCells: sql<number>`count(${lockerCellsOut.id}) filter (where ${fits})::int`,
      freeFittingCells: sql<number>`count(${lockerCellsOut.id})
        filter (where ${fits} and ${lockerCellsOut.status} = 'available')::int`,
    })
    .from(parcelAutomats)
    .leftJoin(lockerCellsOut, eq(lockerCellsOut.postId, parcelAutomats.id))
    .where(isNull(parcelAutomats.archivedAt))
    .groupBy(parcelAutomats.id)
    .orderBy(asc(parcelAutomats.city), asc(parcelAutomats.address));
  return rows.map(({ coordinates, ...r }) => ({ ...r, ...parseCoordinates(coordinates) }));
}

export type CatalogEntry = {
  id: string;
  name: string;
  weight: number;
  height: number;
  length: number;
  width: number;
  quantityAvailable: number;
  /** When it was archived (hidden from the catalog and from ordering); null while on sale. */
  archivedAt: Date | null;
  /** Working automats with a free pickup cell it fits in. */
  orderableAt: number;
  /** Working automats with any pickup cell it fits in. */
  fitsAt: number;
};

/**
 * The catalog with, per good, where it can go right now (one query, aggregated in SQL).
 * Archived goods and lockers are left out unless `archived` asks for them (the admin lists):
 * 'exclude' (the default, what customers see), 'only' or 'include'.
 */
export async function listCatalog(
  db: DbOrTx,
  {
    query,
    goodId,
    archived = 'exclude',
  }: { query?: string; goodId?: string; archived?: 'exclude' | 'only' | 'include' },
): Promise<CatalogEntry[]> {
  // Raw, fully qualified names: drizzle leaves columns of a single-table select unqualified,
  // which would be ambiguous inside the correlated subqueries.
  const g = {
    height: sql.raw('"goods"."height"'),
    length: sql.raw('"goods"."length"'),
    width: sql.raw('"goods"."width"'),
  };
  const c = { height: sql.raw('c.height'), length: sql.raw('c.length'), width: sql.raw('c.width') };
  const fits = fitsInCellSql(g, c);
  const where = and(
    query ? sql`${goods.name} ilike ${likeContains(query)}` : undefined,
    goodId ? eq(goods.id, goodId) : undefined,
    archived === 'exclude' ? isNull(goods.archivedAt) : archived === 'only' ? isNotNull(goods.archivedAt) : undefined,
  );
  return db
    .select({
      id: goods.id,
      name: goods.name,
      weight: goods.weight,
      height: goods.height,
      length: goods.length,
      width: goods.width,
      quantityAvailable: goods.quantityAvailable,
      archivedAt: goods.archivedAt,
      orderableAt: sql<number>`(select count(distinct a.id)::int
        from parcel_automats a join locker_cells_out c on c.post_id = a.id
        where a.is_working and a.archived_at is null and c.status = 'available' and ${fits})`,
      fitsAt: sql<number>`(select count(distinct a.id)::int
        from parcel_automats a join locker_cells_out c on c.post_id = a.id
        where a.is_working and a.archived_at is null and ${fits})`,
    })
    .from(goods)
    .where(where)
    .orderBy(asc(goods.name));
}
