import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '@/db';
import { deliveries, orders, type Delivery, type DeliveryStatus, type Order } from '@/db/schema';

// THE LOCK ORDER. Every transaction that locks or writes several of these rows takes them in
// this order, and never waits for an earlier kind while holding a later one:
//
//   1. orders          (several: ascending id)
//   2. deliveries      (several: ascending id)
//   3. drones
//   4. goods           (stock)
//   5. locker cells    (internal drop cells, then external pickup cells)
//
// Two transactions that wait for each other's rows need one that took them the other way
// round; with a single order no such cycle exists, so PostgreSQL never has to abort one with
// a deadlock (40P01, a 503 "busy" to the client). In practice:
// - A path that starts from a delivery (a drone's event, the locker's transfer, the stuck and
//   silent-drone sweeps) first reads the delivery's order id WITHOUT a lock, locks the order,
//   then locks the delivery and checks it again (lockOrderAndDelivery). Its order id never
//   changes, so what it locked is the right order.
// - Order and delivery rows are locked FOR NO KEY UPDATE, the strength an UPDATE of their
//   status takes anyway. It does not block the foreign-key checks (KEY SHARE) of rows that
//   point at them (timeline events, notifications, new deliveries), so writing those never
//   waits on the order's lock holder.
// - Locks taken with SKIP LOCKED (claiming an order, picking a drone or a free cell) never
//   wait, so they cannot close a cycle; the order of what follows them still holds.

/** Locks one order (optionally only this customer's) for a status change; undefined when absent. */
export async function lockOrder(tx: Tx, orderId: string, opts: { userId?: string } = {}): Promise<Order | undefined> {
  const [order] = await tx
    .select()
    .from(orders)
    .where(opts.userId ? and(eq(orders.id, orderId), eq(orders.userId, opts.userId)) : eq(orders.id, orderId))
    .for('no key update');
  return order;
}

/** Locks an order's deliveries in the given statuses (the order is already locked), ascending id. */
export async function lockDeliveriesOfOrder(
  tx: Tx,
  orderId: string,
  statuses: readonly DeliveryStatus[],
): Promise<Delivery[]> {
  return tx
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.orderId, orderId), inArray(deliveries.status, [...statuses])))
    .orderBy(asc(deliveries.id))
    .for('no key update');
}

/**
 * The entry of every path that starts from a delivery: its order first, then the delivery.
 * `automatId` limits it to a locker's own deliveries. With skipLocked, a row someone else holds
 * yields undefined instead of a wait (the sweeps use this). Undefined when there is no such
 * delivery (or it was skipped).
 */
export async function lockOrderAndDelivery(
  tx: Tx,
  deliveryId: string,
  opts: { automatId?: string; skipLocked?: boolean } = {},
): Promise<{ order: Order; delivery: Delivery } | undefined> {
  const match = opts.automatId
    ? and(eq(deliveries.id, deliveryId), eq(deliveries.parcelAutomatId, opts.automatId))
    : eq(deliveries.id, deliveryId);
  const [peek] = await tx.select({ orderId: deliveries.orderId }).from(deliveries).where(match);
  if (!peek) return undefined;
  const lockMode = opts.skipLocked ? ({ skipLocked: true } as const) : undefined;
  const [order] = await tx.select().from(orders).where(eq(orders.id, peek.orderId)).for('no key update', lockMode);
  if (!order) return undefined;
  const [delivery] = await tx.select().from(deliveries).where(match).for('no key update', lockMode);
  if (!delivery) return undefined;
  return { order, delivery };
}
