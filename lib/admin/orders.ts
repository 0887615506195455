import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db';
import { deliveries, orders } from '@/db/schema';
import { abortDelivery } from '@/lib/dispatch/lifecycle';
import { notifyDispatch } from '@/lib/dispatch/notify';
import { invalidTransition, notFound } from '@/lib/errors';
import { cancelLockedOrder } from '@/lib/orders/lifecycle';
import { recordAudit, type AuditContext } from './audit';

/**
 * An operator cancels a pending or processing order. A drone on the way is released (its
 * delivery fails with the reason); stock and cells come back; one audit row records it.
 * A parcel already dropped in the locker cannot be cancelled this way.
 */
export async function cancelOrderAsAdmin(db: Db, ctx: AuditContext, orderId: string, reason: string): Promise<{ status: string }> {
  const now = new Date();
  return db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
    if (!order) throw notFound('Order');
    if (order.status !== 'pending' && order.status !== 'processing') {
      throw invalidTransition(`Only pending or processing orders can be cancelled; this one is ${order.status}.`);
    }
    const actor = { type: 'admin' as const, id: ctx.userId };
    const active = await tx
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.orderId, order.id), inArray(deliveries.status, ['pending', 'assigned', 'in_progress', 'delivered'])))
      .for('update');
    if (active.some((d) => d.status === 'delivered')) {
      throw invalidTransition('The parcel is already in the locker’s drop cell. Let the locker move it, then handle it from there.');
    }
    for (const d of active) await abortDelivery(tx, d, `Cancelled by an operator: ${reason}`, actor, now);
    await cancelLockedOrder(tx, order, actor, `Cancelled by an operator: ${reason}`, now);
    if (active.length) await notifyDispatch(tx, 'drone_idle');
    await recordAudit(tx, ctx, {
      action: 'order.cancelled',
      resourceType: 'order',
      resourceId: order.id,
      before: { status: order.status, active_deliveries: active.map((d) => d.id) },
      after: { status: 'cancelled' },
      details: { reason },
    });
    return { status: 'cancelled' };
  });
}
