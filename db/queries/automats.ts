import 'server-only';
import { eq, sql } from 'drizzle-orm';
import type { CellKind } from '@/lib/validation/fleet';
import type { DbOrTx } from '../index';
import { CELL_HOLDING_ORDER_STATUSES, DROP_CELL_DELIVERY_STATUSES, parcelAutomats, sqlList } from '../schema';

/** Public facts about a locker (its address is on the landing page anyway). */
export async function findAutomatPublic(db: DbOrTx, { id }: { id: string }) {
  const [row] = await db
    .select({
      id: parcelAutomats.id,
      city: parcelAutomats.city,
      address: parcelAutomats.address,
      isWorking: parcelAutomats.isWorking,
    })
    .from(parcelAutomats)
    .where(eq(parcelAutomats.id, id));
  return row;
}

/** Cells of one locker for the management page, both kinds, with the order holding each. */
export async function listCellsForAdmin(db: DbOrTx, { automatId }: { automatId: string }) {
  return db.execute<{
    id: string;
    kind: CellKind;
    cell_number: number | null;
    status: string;
    height: number;
    length: number;
    width: number;
    order_id: string | null;
  }>(sql`
    select c.id, 'external' as kind, c.cell_number, c.status,
           c.height::float8 as height, c.length::float8 as length, c.width::float8 as width,
           (select o.id from orders o
             where o.locker_cell_id = c.id and o.status in (${sqlList(CELL_HOLDING_ORDER_STATUSES)})
             limit 1) as order_id
    from locker_cells_out c where c.post_id = ${automatId}
    union all
    select c.id, 'internal' as kind, c.cell_number, c.status, c.height::float8, c.length::float8, c.width::float8,
           (select d.order_id from deliveries d
             where d.internal_locker_cell_id = c.id
               and d.status in (${sqlList(DROP_CELL_DELIVERY_STATUSES)}) limit 1)
    from locker_cells_internal c where c.post_id = ${automatId}
    order by kind, cell_number`);
}

/** One locker as the management page edits it. */
export async function getAutomatAdmin(db: DbOrTx, { id }: { id: string }) {
  const [row] = await db
    .select({
      id: parcelAutomats.id,
      city: parcelAutomats.city,
      address: parcelAutomats.address,
      coordinates: parcelAutomats.coordinates,
      arucoId: parcelAutomats.arucoId,
      ipAddress: parcelAutomats.ipAddress,
      isWorking: parcelAutomats.isWorking,
      numberOfCells: parcelAutomats.numberOfCells,
      hasKey: sql<boolean>`${parcelAutomats.apiKeyHash} is not null`,
      lastSeenAt: parcelAutomats.lastSeenAt,
      archivedAt: parcelAutomats.archivedAt,
    })
    .from(parcelAutomats)
    .where(eq(parcelAutomats.id, id));
  return row;
}
