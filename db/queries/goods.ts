import 'server-only';
import { eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../index';
import { CELL_HOLDING_ORDER_STATUSES, orders } from '../schema';

/** The orders that name a good: all of them, and those still open (waiting, flying or in a locker). */
export async function countGoodOrders(db: DbOrTx, { goodId }: { goodId: string }) {
  const [row] = await db
    .select({
      orders: sql<number>`count(*)::int`,
      open: sql<number>`(count(*) filter (where ${inArray(orders.status, [...CELL_HOLDING_ORDER_STATUSES])}))::int`,
    })
    .from(orders)
    .where(eq(orders.goodId, goodId));
  return { orders: row?.orders ?? 0, openOrders: row?.open ?? 0 };
}
