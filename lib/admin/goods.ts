import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { countGoodOrders } from '@/db/queries/goods';
import { goods } from '@/db/schema';
import { constraintName, sqlState } from '@/lib/errors';
import type { GoodInput } from '@/lib/validation/goods';
import { recordAudit, type AuditContext } from './audit';
import { AdminRefusal, adminInvalidTransition, adminNotFound } from './refusal';

const goodNotFound = () => adminNotFound('Good', 'adminCatalog.errors.notFound');
/** "1 order", "3 orders" for the API's English messages; the portal words them from the catalogs. */
const orderCount = (n: number) => `${n} ${n === 1 ? 'order' : 'orders'}`;

const snapshot = (g: typeof goods.$inferSelect) => ({
  name: g.name,
  weight: g.weight,
  height: g.height,
  length: g.length,
  width: g.width,
  quantity_available: g.quantityAvailable,
  archived_at: g.archivedAt?.toISOString() ?? null,
});

export async function createGood(db: Db, ctx: AuditContext, input: GoodInput) {
  return db.transaction(async (tx) => {
    const [g] = await tx
      .insert(goods)
      .values({
        name: input.name,
        weight: input.weight,
        height: input.height,
        length: input.length,
        width: input.width,
        quantityAvailable: input.quantity_available,
      })
      .returning();
    if (!g) throw new Error('Good insert returned nothing');
    await recordAudit(tx, ctx, { action: 'good.created', resourceType: 'good', resourceId: g.id, after: snapshot(g) });
    return g;
  });
}

export async function updateGood(
  db: Db,
  ctx: AuditContext,
  { id, input }: { id: string; input: Omit<GoodInput, 'quantity_available'> },
) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(goods).where(eq(goods.id, id)).for('update');
    if (!before) throw goodNotFound();
    const [after] = await tx
      .update(goods)
      .set({ name: input.name, weight: input.weight, height: input.height, length: input.length, width: input.width })
      .where(eq(goods.id, id))
      .returning();
    if (!after) throw goodNotFound();
    await recordAudit(tx, ctx, {
      action: 'good.updated',
      resourceType: 'good',
      resourceId: id,
      before: snapshot(before),
      after: snapshot(after),
    });
    return after;
  });
}

/** Adds or removes stock atomically; never below zero (also a CHECK in the database). */
export async function adjustStock(db: Db, ctx: AuditContext, { id, delta }: { id: string; delta: number }) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ q: goods.quantityAvailable }).from(goods).where(eq(goods.id, id)).for('update');
    if (!before) throw goodNotFound();
    if (before.q + delta < 0) {
      throw new AdminRefusal(
        'conflict',
        `Stock cannot go below zero: ${before.q} in stock, so you can remove at most ${before.q}.`,
        {
          key: 'adminCatalog.errors.belowZero',
          values: { stock: before.q },
          fields: { delta: `At most ${before.q} can be removed` },
          fieldKeys: { delta: 'adminCatalog.errors.belowZeroField' },
        },
      );
    }
    const [after] = await tx
      .update(goods)
      .set({ quantityAvailable: sql`${goods.quantityAvailable} + ${delta}` })
      .where(eq(goods.id, id))
      .returning({ q: goods.quantityAvailable });
    await recordAudit(tx, ctx, {
      action: 'good.stock_adjusted',
      resourceType: 'good',
      resourceId: id,
      before: { quantity_available: before.q },
      after: { quantity_available: after?.q ?? null },
      details: { delta },
    });
    return { quantityAvailable: after?.q ?? before.q + delta };
  });
}

const keptForHistory = (n: number) =>
  adminInvalidTransition(
    `${n} ${n === 1 ? 'order names' : 'orders name'} this good, so it is kept for customers' order history ` +
      'and cannot be deleted. Archive it instead: that hides it from the catalog and from new orders.',
    'adminCatalog.errors.keptForHistory',
    { count: n },
  );

/**
 * Deletes a good that no order names. A good with orders is refused (archive it instead), and
 * the database refuses it too: orders.good_id is ON DELETE RESTRICT. The row lock (FOR UPDATE)
 * waits for orders being placed for it (their foreign-key check holds a KEY SHARE lock), so the
 * count below sees them.
 */
export async function deleteGood(db: Db, ctx: AuditContext, id: string) {
  try {
    return await db.transaction(async (tx) => {
      const [g] = await tx.select().from(goods).where(eq(goods.id, id)).for('update');
      if (!g) throw goodNotFound();
      const history = await countGoodOrders(tx, { goodId: id });
      if (history.orders > 0) throw keptForHistory(history.orders);
      await tx.delete(goods).where(eq(goods.id, id));
      await recordAudit(tx, ctx, { action: 'good.deleted', resourceType: 'good', resourceId: id, before: snapshot(g) });
      return { deleted: true as const };
    });
  } catch (err) {
    if (sqlState(err) === '23503' && constraintName(err) === 'orders_good_id_goods_id_fk') throw keptForHistory(1);
    throw err;
  }
}

/**
 * Archives a good (hidden from the catalog and refused for new orders; kept, with its orders)
 * or restores it. Archiving is refused while orders of it are still open, so nothing in
 * flight refers to a good that can no longer be sold. The row lock serialises this with orders
 * being placed: an order either committed first (and is counted here) or finds the good
 * archived when it takes a unit of stock (lib/orders/order-flow.ts).
 */
export async function setGoodArchived(db: Db, ctx: AuditContext, { id, archived }: { id: string; archived: boolean }) {
  return db.transaction(async (tx) => {
    const [g] = await tx
      .select({ archivedAt: goods.archivedAt, name: goods.name })
      .from(goods)
      .where(eq(goods.id, id))
      .for('update');
    if (!g) throw goodNotFound();
    if ((g.archivedAt !== null) === archived) return { archivedAt: g.archivedAt, changed: false };
    if (archived) {
      const history = await countGoodOrders(tx, { goodId: id });
      if (history.openOrders > 0) {
        const n = history.openOrders;
        throw adminInvalidTransition(
          `${orderCount(n)} of this good ${n === 1 ? 'is' : 'are'} still open. ` +
            `Archive it when ${n === 1 ? 'that order is' : 'they are all'} collected or cancelled.`,
          'adminCatalog.errors.openOrders',
          { count: n },
        );
      }
    }
    const [after] = await tx
      .update(goods)
      .set({ archivedAt: archived ? sql`now()` : null })
      .where(eq(goods.id, id))
      .returning({ archivedAt: goods.archivedAt });
    await recordAudit(tx, ctx, {
      action: archived ? 'good.archived' : 'good.restored',
      resourceType: 'good',
      resourceId: id,
      before: { archived_at: g.archivedAt?.toISOString() ?? null },
      after: { archived_at: after?.archivedAt?.toISOString() ?? null },
    });
    return { archivedAt: after?.archivedAt ?? null, changed: true };
  });
}
