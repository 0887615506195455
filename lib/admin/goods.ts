import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/db';
import { goods, orders } from '@/db/schema';
import { AppError, invalidTransition, notFound } from '@/lib/errors';
import type { GoodInput } from '@/lib/validation/goods';
import { recordAudit, type AuditContext } from './audit';

const snapshot = (g: typeof goods.$inferSelect) => ({ name: g.name, weight: g.weight, height: g.height, length: g.length, width: g.width, quantity_available: g.quantityAvailable });

export async function createGood(db: Db, ctx: AuditContext, input: GoodInput) {
  return db.transaction(async (tx) => {
    const [g] = await tx
      .insert(goods)
      .values({ name: input.name, weight: input.weight, height: input.height, length: input.length, width: input.width, quantityAvailable: input.quantity_available })
      .returning();
    if (!g) throw new Error('Good insert returned nothing');
    await recordAudit(tx, ctx, { action: 'good.created', resourceType: 'good', resourceId: g.id, after: snapshot(g) });
    return g;
  });
}

export async function updateGood(db: Db, ctx: AuditContext, id: string, input: Omit<GoodInput, 'quantity_available'>) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(goods).where(eq(goods.id, id)).for('update');
    if (!before) throw notFound('Good');
    const [after] = await tx.update(goods).set({ name: input.name, weight: input.weight, height: input.height, length: input.length, width: input.width }).where(eq(goods.id, id)).returning();
    if (!after) throw notFound('Good');
    await recordAudit(tx, ctx, { action: 'good.updated', resourceType: 'good', resourceId: id, before: snapshot(before), after: snapshot(after) });
    return after;
  });
}

/** Adds or removes stock atomically; never below zero (also a CHECK in the database). */
export async function adjustStock(db: Db, ctx: AuditContext, id: string, delta: number) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ q: goods.quantityAvailable }).from(goods).where(eq(goods.id, id)).for('update');
    if (!before) throw notFound('Good');
    if (before.q + delta < 0) {
      throw new AppError('conflict', 409, `Stock cannot go below zero: ${before.q} in stock, so you can remove at most ${before.q}.`, { delta: `At most ${before.q} can be removed` });
    }
    const [after] = await tx.update(goods).set({ quantityAvailable: sql`${goods.quantityAvailable} + ${delta}` }).where(eq(goods.id, id)).returning({ q: goods.quantityAvailable });
    await recordAudit(tx, ctx, { action: 'good.stock_adjusted', resourceType: 'good', resourceId: id, before: { quantity_available: before.q }, after: { quantity_available: after?.q ?? null }, details: { delta } });
    return { quantityAvailable: after?.q ?? before.q + delta };
  });
}

/** What deleting a good takes with it (the spec cascades its orders), for the confirmation. */
export async function goodDeletionImpact(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      orders: sql<number>`count(*)::int`,
      open: sql<number>`count(*) filter (where ${orders.status} in ('pending', 'processing', 'delivered'))::int`,
    })
    .from(orders)
    .where(eq(orders.goodId, id));
  return { orders: row?.orders ?? 0, openOrders: row?.open ?? 0 };
}

/**
 * Deletes a good and, as the spec's cascade says, its orders. Refused while any order of it
 * is still open (waiting, flying or in a locker): cancel or finish those first, so no drone
 * or cell is left holding a parcel that no longer exists.
 */
export async function deleteGood(db: Db, ctx: AuditContext, id: string) {
  return db.transaction(async (tx) => {
    const [g] = await tx.select().from(goods).where(eq(goods.id, id)).for('update');
    if (!g) throw notFound('Good');
    const [open] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(orders)
      .where(and(eq(orders.goodId, id), inArray(orders.status, ['pending', 'processing', 'delivered'])));
    if ((open?.n ?? 0) > 0) throw invalidTransition(`${open?.n} order(s) of this good are still open. Cancel or complete them before deleting it.`);
    const impact = await goodDeletionImpact(tx, id);
    await tx.delete(goods).where(eq(goods.id, id));
    await recordAudit(tx, ctx, { action: 'good.deleted', resourceType: 'good', resourceId: id, before: snapshot(g), details: { orders_deleted: impact.orders } });
    return { ordersDeleted: impact.orders };
  });
}
