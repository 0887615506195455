import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '@/db';
import { deliveries, deliveryEvents, drones, goods, lockerCellsOut, orders, parcelAutomats, type Delivery, type DeliveryStatus, type Order } from '@/db/schema';
import { AppError, invalidTransition, notFound } from '@/lib/errors';
import { parseCoordinates } from '@/lib/geo';
import { tsParam } from '@/db/sql';
import { reserveExternalCell, reserveInternalCell, setExternalCellStatus, setInternalCellStatus } from '@/lib/orders/cells';
import { recordEvent, type Actor } from '@/lib/orders/events';
import { cancelLockedOrder, REOPENED_EVENT } from '@/lib/orders/lifecycle';
import { lockOrderAndDelivery } from '@/lib/orders/locks';
import { notifyOrderCustomer } from '@/lib/notifications/outbox';
import { notifyDispatch } from './notify';

// The delivery state machine (shared/docs/api-contract.md): assignment by the order worker,
// the drone's started / dropped / failed, the locker's transfer, the customer's pickup.
// Route handlers, the worker and admin actions call these; nobody else writes statuses.
// Locks follow the one order documented in lib/orders/locks.ts: order, deliveries, drone,
// goods, cells.

export const MAX_DELIVERY_ATTEMPTS = 3;
export const ACTIVE_DELIVERY: DeliveryStatus[] = ['pending', 'assigned', 'in_progress'];

export type AssignOptions = { minBattery: number; offlineAfterMs: number; now?: Date };

export type AssignOutcome =
  | { kind: 'assigned'; orderId: string; deliveryId: string; droneId: string; distanceM: number | null }
  | { kind: 'skipped'; orderId: string; reason: 'no_drone' | 'no_internal_cell' | 'no_external_cell' }
  | { kind: 'idle' };

/** Great-circle distance in SQL, metres, between a drone's last position and a point. */
function distanceSql(lat: number, lon: number) {
  return sql<number>`2 * 6371008.8 * asin(sqrt(
    power(sin(radians(${drones.lastLat} - ${lat}::float8) / 2), 2) +
    cos(radians(${lat}::float8)) * cos(radians(${drones.lastLat})) * power(sin(radians(${drones.lastLon} - ${lon}::float8) / 2), 2)))`;
}

/**
 * Claims the oldest pending order (FOR UPDATE SKIP LOCKED, so any number of workers can run)
 * that is not in `skip`, and assigns it in one short transaction: the nearest idle, charged,
 * recently seen drone (ties: higher battery), a free internal cell, and a pickup cell if the
 * order holds none. If something is missing the transaction rolls back and the order stays
 * pending for a later sweep.
 */
export async function claimAndAssignNext(db: Db, opts: AssignOptions & { skip?: string[]; orderId?: string }): Promise<AssignOutcome> {
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const [order] = await tx
      .select({ id: orders.id, automatId: orders.parcelAutomatId, goodId: orders.goodId, lockerCellId: orders.lockerCellId })
      .from(orders)
      .where(and(eq(orders.status, 'pending'), opts.orderId ? eq(orders.id, opts.orderId) : undefined, opts.skip?.length ? notInArray(orders.id, opts.skip) : undefined))
      .orderBy(asc(orders.createdAt), asc(orders.id))
      .limit(1)
      .for('no key update', { skipLocked: true });
    if (!order) return { kind: 'idle' } as const;
    return assignClaimedOrder(tx, order, opts, now);
  }).catch((err: unknown) => {
    // A skipped order rolls its transaction back (releasing any cell it had reserved).
    if (err instanceof SkippedRollback) return err.outcome;
    throw err;
  });
}

/** Thrown to roll back an assignment that cannot be completed now; carries the outcome. */
class SkippedRollback extends Error {
  constructor(readonly outcome: AssignOutcome) {
    super('skipped');
  }
}

async function assignClaimedOrder(
  tx: Tx,
  order: { id: string; automatId: string; goodId: string; lockerCellId: string | null },
  opts: AssignOptions,
  now: Date,
): Promise<AssignOutcome> {
  const skipped = (reason: 'no_drone' | 'no_internal_cell' | 'no_external_cell'): never => {
    throw new SkippedRollback({ kind: 'skipped', orderId: order.id, reason });
  };
  const [automat] = await tx.select({ coordinates: parcelAutomats.coordinates }).from(parcelAutomats).where(eq(parcelAutomats.id, order.automatId));
  if (!automat) throw notFound('Parcel automat');
  const target = parseCoordinates(automat.coordinates);
  const seenSince = new Date(now.getTime() - opts.offlineAfterMs);
  const distance = distanceSql(target.lat, target.lon);
  const [drone] = await tx
    .select({ id: drones.id, battery: drones.batteryLevel, distance })
    .from(drones)
    .where(
      and(
        eq(drones.status, 'idle'),
        sql`${drones.batteryLevel} > ${opts.minBattery}`,
        sql`${drones.lastSeenAt} > ${tsParam(seenSince)}`,
        sql`not exists (select 1 from ${deliveries} d where d.drone_id = ${drones.id} and d.status in ('pending', 'assigned', 'in_progress'))`,
      ),
    )
    .orderBy(sql`${distance} asc nulls last`, sql`${drones.batteryLevel} desc`, asc(drones.id))
    .limit(1)
    .for('update', { skipLocked: true });
  if (!drone) return skipped('no_drone');

  const internal = await reserveInternalCell(tx, order.automatId);
  if (!internal) return skipped('no_internal_cell');
  let externalCellId = order.lockerCellId;
  if (!externalCellId) {
    const [good] = await tx.select({ height: goods.height, length: goods.length, width: goods.width }).from(goods).where(eq(goods.id, order.goodId));
    const external = good ? await reserveExternalCell(tx, order.automatId, good) : undefined;
    if (!external) return skipped('no_external_cell');
    externalCellId = external.id;
  }

  const [delivery] = await tx
    .insert(deliveries)
    .values({ orderId: order.id, droneId: drone.id, parcelAutomatId: order.automatId, internalLockerCellId: internal.id, status: 'assigned', createdAt: now, updatedAt: now })
    .returning({ id: deliveries.id });
  if (!delivery) throw new Error('Delivery insert returned nothing');
  await tx.update(orders).set({ status: 'processing', lockerCellId: externalCellId, updatedAt: now }).where(eq(orders.id, order.id));
  await tx.update(drones).set({ status: 'busy', updatedAt: now }).where(eq(drones.id, drone.id));
  const distanceM = drone.distance === null ? null : Math.round(Number(drone.distance));
  const actor: Actor = { type: 'worker' };
  await recordEvent(tx, {
    orderId: order.id,
    deliveryId: delivery.id,
    entity: 'delivery',
    event: 'assigned',
    toStatus: 'assigned',
    actor,
    details: {
      drone_id: drone.id,
      distance_m: distanceM,
      battery_level: drone.battery,
      internal_cell_number: internal.cellNumber,
      reason: `Nearest idle drone with battery above ${opts.minBattery}% seen in the last ${Math.round(opts.offlineAfterMs / 1000)} s`,
    },
  });
  await recordEvent(tx, { orderId: order.id, deliveryId: delivery.id, entity: 'order', event: 'assigned', fromStatus: 'pending', toStatus: 'processing', actor });
  await notifyOrderCustomer(tx, order.id, 'order_assigned', { key: delivery.id });
  return { kind: 'assigned', orderId: order.id, deliveryId: delivery.id, droneId: drone.id, distanceM };
}

/** Assigns one specific pending order now (e.g. an operator's "dispatch now"). */
export function assignOrder(db: Db, orderId: string, opts: AssignOptions): Promise<AssignOutcome> {
  return claimAndAssignNext(db, { ...opts, orderId });
}

/**
 * One sweep: assigns pending orders oldest first until none is left or no drone is free.
 * Orders that cannot be served now (no cell at their locker) are skipped, not retried in a loop.
 */
export async function assignPendingOrders(db: Db, opts: AssignOptions & { max?: number; onOutcome?: (o: AssignOutcome) => void }): Promise<AssignOutcome[]> {
  const results: AssignOutcome[] = [];
  const skip: string[] = [];
  for (let i = 0; i < (opts.max ?? 100); i++) {
    const outcome = await claimAndAssignNext(db, { ...opts, skip });
    if (outcome.kind === 'idle') break;
    results.push(outcome);
    opts.onOutcome?.(outcome);
    if (outcome.kind === 'skipped') {
      if (outcome.reason === 'no_drone') break; // no drone for this order means none for later ones either
      skip.push(outcome.orderId);
    }
  }
  return results;
}

export type DroneEvent = { type: 'started' } | { type: 'dropped' } | { type: 'failed'; reason: string };

/** The drone's report on its delivery. Repeating the event that produced the current status is a no-op. */
export async function applyDroneEvent(db: Db, input: { deliveryId: string; droneId: string; event: DroneEvent; now?: Date }): Promise<Delivery> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    // The order first, then the delivery (lib/orders/locks.ts): an operator cancelling this
    // order at the same moment takes them in the same order, so one simply waits for the other.
    const locked = await lockOrderAndDelivery(tx, input.deliveryId);
    if (!locked) throw notFound('Delivery');
    const { delivery } = locked;
    if (delivery.droneId !== input.droneId) throw new AppError('forbidden', 403, 'Only the drone assigned to this delivery may report on it.');
    const actor: Actor = { type: 'drone', id: input.droneId };
    const e = input.event;

    if (e.type === 'started') {
      if (delivery.status === 'in_progress') return delivery;
      if (delivery.status !== 'assigned') throw invalidTransition(`A delivery that is ${delivery.status} cannot start.`);
      const [d] = await tx.update(deliveries).set({ status: 'in_progress', startedAt: now, updatedAt: now }).where(eq(deliveries.id, delivery.id)).returning();
      await recordEvent(tx, { orderId: delivery.orderId, deliveryId: delivery.id, entity: 'delivery', event: 'started', fromStatus: 'assigned', toStatus: 'in_progress', actor });
      return d!;
    }

    if (e.type === 'dropped') {
      if (delivery.status === 'delivered') return delivery;
      if (delivery.status !== 'in_progress') throw invalidTransition(`A delivery that is ${delivery.status} cannot be dropped.`);
      const [d] = await tx.update(deliveries).set({ status: 'delivered', updatedAt: now }).where(eq(deliveries.id, delivery.id)).returning();
      await tx.update(drones).set({ status: 'idle', updatedAt: now }).where(and(eq(drones.id, input.droneId), eq(drones.status, 'busy')));
      if (delivery.internalLockerCellId) await setInternalCellStatus(tx, delivery.internalLockerCellId, 'occupied');
      await recordEvent(tx, { orderId: delivery.orderId, deliveryId: delivery.id, entity: 'delivery', event: 'dropped', fromStatus: 'in_progress', toStatus: 'delivered', actor });
      await notifyDispatch(tx, 'drone_idle');
      return d!;
    }

    if (delivery.status === 'failed') return delivery;
    if (delivery.status !== 'assigned' && delivery.status !== 'in_progress') throw invalidTransition(`A delivery that is ${delivery.status} cannot fail.`);
    return failDelivery(tx, locked, e.reason, actor, now);
  });
}

/**
 * Ends an active delivery as failed: its drone and drop cell are released (in that order, see
 * lib/orders/locks.ts). The order is the caller's business; the caller holds its lock.
 */
export async function abortDelivery(tx: Tx, delivery: Delivery, reason: string, actor: Actor, now: Date, opts: { droneStatus?: 'idle' | 'offline' } = {}): Promise<Delivery> {
  const [d] = await tx.update(deliveries).set({ status: 'failed', failureReason: reason.slice(0, 500), updatedAt: now }).where(eq(deliveries.id, delivery.id)).returning();
  if (delivery.droneId) await tx.update(drones).set({ status: opts.droneStatus ?? 'idle', updatedAt: now }).where(eq(drones.id, delivery.droneId));
  if (delivery.internalLockerCellId) await setInternalCellStatus(tx, delivery.internalLockerCellId, 'available');
  await recordEvent(tx, { orderId: delivery.orderId, deliveryId: delivery.id, entity: 'delivery', event: 'failed', fromStatus: delivery.status, toStatus: 'failed', actor, details: { reason } });
  if (!d) throw new Error('Delivery update returned nothing');
  return d;
}

/**
 * Fails an active delivery: drone and cells are released; the order goes back to pending for
 * another drone, or after MAX_DELIVERY_ATTEMPTS failures is cancelled with its stock restored.
 * The caller has locked the order, then the delivery (lockOrderAndDelivery); the drone's event
 * and the worker's sweeps (stuck assignment, drone gone silent) all come here.
 */
export async function failDelivery(
  tx: Tx,
  { order, delivery }: { order: Order; delivery: Delivery },
  reason: string,
  actor: Actor,
  now: Date,
  opts: { droneStatus?: 'idle' | 'offline' } = {},
): Promise<Delivery> {
  if (delivery.orderId !== order.id) throw new Error('failDelivery: the delivery does not belong to the locked order');
  const d = await abortDelivery(tx, delivery, reason, actor, now, opts);
  // Only failures since the operator last reopened the order count (a fresh budget). Ordered by
  // timeline ids, not clocks: a delivery's first event is written after any earlier reopen committed.
  const [{ failures } = { failures: 0 }] = await tx
    .select({ failures: sql<number>`count(*)::int` })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.orderId, order.id),
        eq(deliveries.status, 'failed'),
        sql`not exists (select 1 from ${deliveryEvents} r where r.order_id = ${order.id} and r.entity = 'order' and r.event = ${REOPENED_EVENT}
          and r.id > (select min(e.id) from ${deliveryEvents} e where e.delivery_id = ${deliveries.id}))`,
      ),
    );
  if (failures >= MAX_DELIVERY_ATTEMPTS) {
    await cancelLockedOrder(tx, order, { type: 'system' }, `Delivery failed ${failures} times (last: ${reason})`, now, { notify: 'order_failed', deliveryId: delivery.id });
  } else {
    await tx.update(orders).set({ status: 'pending', updatedAt: now }).where(eq(orders.id, order.id));
    await recordEvent(tx, {
      orderId: order.id,
      deliveryId: delivery.id,
      entity: 'order',
      event: 'requeued',
      fromStatus: order.status,
      toStatus: 'pending',
      actor: { type: 'system' },
      details: { reason, attempt: failures, max_attempts: MAX_DELIVERY_ATTEMPTS },
    });
    await notifyDispatch(tx, 'order_requeued');
  }
  if ((opts.droneStatus ?? 'idle') === 'idle') await notifyDispatch(tx, 'drone_idle');
  return d;
}

/** The locker moved the parcel from the drop cell to the pickup cell: the order is ready. */
export async function transferToPickupCell(db: Db, input: { automatId: string; deliveryId: string; now?: Date }): Promise<{ orderId: string; externalCellNumber: number | null }> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    // Order, then delivery (lib/orders/locks.ts).
    const locked = await lockOrderAndDelivery(tx, input.deliveryId, { automatId: input.automatId });
    if (!locked) throw notFound('Delivery');
    const { order, delivery } = locked;
    if (delivery.status !== 'delivered') throw invalidTransition(`Only a dropped parcel can be transferred; this delivery is ${delivery.status}.`);
    let cellId = order.lockerCellId;
    if (!cellId) {
      const [good] = await tx.select({ height: goods.height, length: goods.length, width: goods.width }).from(goods).where(eq(goods.id, order.goodId));
      const cell = good ? await reserveExternalCell(tx, input.automatId, good) : undefined;
      if (!cell) throw new AppError('no_capacity', 409, 'No free pickup cell fits this parcel; free one and retry.');
      cellId = cell.id;
    }
    const [cell] = await tx.select({ cellNumber: lockerCellsOut.cellNumber }).from(lockerCellsOut).where(eq(lockerCellsOut.id, cellId));
    await tx.update(deliveries).set({ status: 'completed', completedAt: now, updatedAt: now }).where(eq(deliveries.id, delivery.id));
    if (delivery.internalLockerCellId) await setInternalCellStatus(tx, delivery.internalLockerCellId, 'available');
    await setExternalCellStatus(tx, cellId, 'occupied');
    await tx.update(orders).set({ status: 'delivered', lockerCellId: cellId, updatedAt: now }).where(eq(orders.id, order.id));
    const actor: Actor = { type: 'automat', id: input.automatId };
    await recordEvent(tx, { orderId: order.id, deliveryId: delivery.id, entity: 'delivery', event: 'transferred', fromStatus: 'delivered', toStatus: 'completed', actor });
    await recordEvent(tx, {
      orderId: order.id,
      deliveryId: delivery.id,
      entity: 'order',
      event: 'in_locker',
      fromStatus: order.status,
      toStatus: 'delivered',
      actor,
      details: { cell_number: cell?.cellNumber ?? null },
    });
    await notifyOrderCustomer(tx, order.id, 'order_ready', { cellNumber: cell?.cellNumber ?? null });
    await notifyDispatch(tx, 'cell_freed');
    return { orderId: order.id, externalCellNumber: cell?.cellNumber ?? null };
  });
}

type WaitingParcel = { id: string; cellId: string | null; cellNumber: number | null };

/**
 * The one place an order becomes completed: the parcels the caller locked (all delivered) are
 * out of their pickup cells, which are free again, each with its 'collected' timeline event.
 */
async function completePickups(tx: Tx, parcels: WaitingParcel[], automatId: string, actor: Actor, now: Date, details: Record<string, unknown> = {}): Promise<void> {
  await tx.update(orders).set({ status: 'completed', updatedAt: now }).where(inArray(orders.id, parcels.map((p) => p.id)));
  for (const p of parcels) {
    if (p.cellId) await setExternalCellStatus(tx, p.cellId, 'available');
    await recordEvent(tx, {
      orderId: p.id,
      entity: 'order',
      event: 'collected',
      fromStatus: 'delivered',
      toStatus: 'completed',
      actor,
      details: { cell_number: p.cellNumber, automat_id: automatId, ...details },
    });
    await notifyOrderCustomer(tx, p.id, 'order_collected');
  }
}

/** The customer collected at this automat: every waiting parcel of theirs here opens. */
export async function collectParcels(db: DbOrTx, input: { automatId: string; userId: string; actor?: Actor; now?: Date }): Promise<{ cellNumber: number | null; orderId: string }[]> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    // Several orders: locked in ascending id (lib/orders/locks.ts), listed by cell number.
    const locked = await tx
      .select({ id: orders.id, cellId: orders.lockerCellId, cellNumber: lockerCellsOut.cellNumber })
      .from(orders)
      .leftJoin(lockerCellsOut, eq(lockerCellsOut.id, orders.lockerCellId))
      .where(and(eq(orders.userId, input.userId), eq(orders.parcelAutomatId, input.automatId), eq(orders.status, 'delivered')))
      .orderBy(asc(orders.id))
      .for('no key update', { of: orders });
    if (locked.length === 0) throw new AppError('nothing_to_collect', 404, 'No parcels are waiting for this customer at this locker.');
    const waiting = [...locked].sort((a, b) => (a.cellNumber ?? Number.MAX_SAFE_INTEGER) - (b.cellNumber ?? Number.MAX_SAFE_INTEGER));
    await completePickups(tx, waiting, input.automatId, input.actor ?? { type: 'customer', id: input.userId }, now);
    return waiting.map((w) => ({ cellNumber: w.cellNumber, orderId: w.id }));
  });
}

/**
 * Staff hand a waiting parcel over by hand (e.g. the kiosk is out of order): the order is
 * completed as if collected, its pickup cell freed; the timeline's 'collected' event says it
 * was forced and why, so order-to-pickup times still count it.
 */
export async function forceCompletePickup(tx: Tx, input: { orderId: string; actor: Actor; reason: string; now?: Date }): Promise<{ fromStatus: 'delivered'; cellNumber: number | null }> {
  const now = input.now ?? new Date();
  const [order] = await tx
    .select({ id: orders.id, status: orders.status, automatId: orders.parcelAutomatId, cellId: orders.lockerCellId, cellNumber: lockerCellsOut.cellNumber })
    .from(orders)
    .leftJoin(lockerCellsOut, eq(lockerCellsOut.id, orders.lockerCellId))
    .where(eq(orders.id, input.orderId))
    .for('no key update', { of: orders });
  if (!order) throw notFound('Order');
  if (order.status !== 'delivered') {
    throw invalidTransition(
      order.status === 'completed'
        ? 'This parcel has already been collected; there is nothing to hand over.'
        : order.status === 'cancelled'
          ? 'This order is cancelled; there is no parcel to hand over.'
          : `The parcel is not in a pickup cell yet (the order is ${order.status}). Wait until the locker reports it ready for pickup.`,
    );
  }
  await completePickups(tx, [order], order.automatId, input.actor, now, { forced: true, reason: input.reason });
  return { fromStatus: 'delivered', cellNumber: order.cellNumber };
}
