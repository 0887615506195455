import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, notInArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '@/db';
import {
  deliveries,
  deliveryEvents,
  drones,
  goods,
  lockerCellsOut,
  orders,
  parcelAutomats,
  users,
  type Delivery,
  type Order,
  ACTIVE_DELIVERY_STATUSES,
  DRONE_HELD_DELIVERY_STATUSES,
  sqlList,
} from '@/db/schema';
import type { Locale } from '@/i18n/config';
import { AppError, invalidTransition, notFound } from '@/lib/errors';
import { parseCoordinates } from '@/lib/geo';
import { tsParam } from '@/db/sql';
import { reserveExternalCell } from '@/lib/orders/cells';
import { moveCell, moveDelivery, moveDrone, moveOrder, moveOrders } from '@/lib/lifecycle/writes';
import { recordEvent, type Actor } from '@/lib/orders/events';
import { cancelLockedOrder, REOPENED_EVENT } from '@/lib/orders/order-flow';
import { lockOrderAndDelivery } from '@/lib/orders/locks';
import { NOTIFICATIONS_CHANNEL, notifyOrderCustomer } from '@/lib/notifications/outbox';
import { notificationMessage } from '@/lib/notifications/messages';
import { assignPickupPin } from '@/lib/pickup/pin-code';
import { notifyDispatch } from './notify';
import { canForcePickup } from '@/lib/lifecycle/guards';
import { canTransition } from '@/lib/lifecycle/machine';

// The delivery flow (docs/openapi.yaml): assignment by the order worker, the drone's started /
// dropped / failed, the locker's transfer, the customer's pickup. Route handlers, the worker and
// admin actions call these. Each status change is an edge of lib/lifecycle/machine.ts, written
// through lib/lifecycle/writes.ts.
// Locks follow the one order documented in lib/orders/locks.ts: order, deliveries, drone,
// goods, cells.

export const MAX_DELIVERY_ATTEMPTS = 3;

export type AssignOptions = { minBattery: number; offlineAfterMs: number; now?: Date };

export type AssignOutcome =
  | { kind: 'assigned'; orderId: string; deliveryId: string; droneId: string; distanceM: number | null }
  | { kind: 'skipped'; orderId: string; reason: 'no_drone' | 'no_internal_cell' | 'no_external_cell' }
  | { kind: 'idle' };

/** Great-circle distance in SQL, metres, between a drone's last position and a point. */
function distanceSql(lat: number, lon: number) {
  return sql<number>`2 * 6371008.8 * asin(sqrt(
    power(sin(radians(${drones.lastLat} - ${lat}::float8) / 2), 2) +
    cos(radians(${lat}::float8)) * cos(radians(${drones.lastLat}))
      * power(sin(radians(${drones.lastLon} - ${lon}::float8) / 2), 2)))`;
}

/**
 * The nearest-drone search as dispatch_assign_batch runs it per order (the same two statements,
 * here for the benchmark's EXPLAIN at fleet size):
 * - `candidates`: idle drones with battery above the minimum, seen within the offline timeout,
 *   not already taken by the batch (`exclude`), nearest first by the chord on the earthdistance
 *   sphere (`<->` on ll_to_earth), which ranks as the great-circle distance does, from the
 *   drone's dispatch position (its position on a 0.0001° grid, see the drones table). It walks
 *   the GiST index idx_drones_idle_position nearest first, so the cost does not grow with the
 *   fleet; drones without a position come last. The function streams it (a PL/pgSQL cursor
 *   fetches 10 rows at a time), hence the LIMIT here.
 * - `lock`: of one group of candidates in the same grid cell distance, the first by exact
 *   great-circle distance, then higher battery, then id, that is still idle, on no active
 *   delivery and not locked by another worker, locked FOR UPDATE SKIP LOCKED. The grid can put
 *   a drone at most one cell diagonal (about 13 m here) ahead of a nearer one.
 */
export function nearestDroneQueries(
  target: { lat: number; lon: number },
  opts: AssignOptions & { now: Date; exclude?: string[]; group?: string[] },
) {
  const seenSince = new Date(opts.now.getTime() - opts.offlineAfterMs);
  const eligible = sql`${drones.status} = 'idle' and ${drones.batteryLevel} > ${opts.minBattery}
    and ${drones.lastSeenAt} > ${tsParam(seenSince)}`;
  const chord = sql`ll_to_earth(${drones.dispatchLat}, ${drones.dispatchLon})
    <-> ll_to_earth(${target.lat}::float8, ${target.lon}::float8)`;
  const candidates = sql`select ${drones.id} as id, ${chord} as chord
    from ${drones} where ${eligible} and ${drones.id} <> all(${`{${(opts.exclude ?? []).join(',')}}`}::uuid[])
    order by ${chord} limit 16`;
  const lock = sql`select ${drones.id} as id, ${drones.batteryLevel}::float8 as battery,
           ${distanceSql(target.lat, target.lon)} as distance
    from ${drones}
    where ${drones.id} = any(${`{${(opts.group ?? []).join(',')}}`}::uuid[]) and ${eligible}
      and not exists (select 1 from ${deliveries} d
                       where d.drone_id = ${drones.id} and d.status in (${sqlList(ACTIVE_DELIVERY_STATUSES)}))
    order by 3, ${drones.batteryLevel} desc, ${drones.id} asc
    limit 1 for update skip locked`;
  return { candidates, lock };
}

/** How many orders one claim transaction takes: fewer commits, while locks stay short. */
export const CLAIM_BATCH = 25;

type ClaimedOrder = {
  id: string;
  automatId: string;
  lockerCellId: string | null;
  userId: string;
  coordinates: string;
  address: string;
  city: string;
  goodName: string;
  /** The customer's language, for the notification. */
  locale: Locale;
  height: number;
  length: number;
  width: number;
};

/**
 * Claims up to `limit` of the oldest pending orders (not in `skip`) and assigns each in ONE
 * transaction: the nearest idle, charged, recently seen drone (ties: higher battery), a free
 * internal cell, and a pickup cell if the order holds none. An order for which something is
 * missing writes nothing and stays pending for a later sweep (skipped, with the reason).
 * Orders are claimed FOR NO KEY UPDATE SKIP LOCKED, drones and cells FOR UPDATE SKIP LOCKED,
 * so any number of workers run side by side and never wait for each other's candidates.
 */
export async function claimAndAssignBatch(
  db: Db,
  opts: AssignOptions & { limit: number; skip?: string[]; orderId?: string },
): Promise<AssignOutcome[]> {
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const claimed: ClaimedOrder[] = await tx
      .select({
        id: orders.id,
        automatId: orders.parcelAutomatId,
        lockerCellId: orders.lockerCellId,
        userId: orders.userId,
        coordinates: parcelAutomats.coordinates,
        address: parcelAutomats.address,
        city: parcelAutomats.city,
        goodName: goods.name,
        locale: users.locale,
        height: goods.height,
        length: goods.length,
        width: goods.width,
      })
      .from(orders)
      .innerJoin(parcelAutomats, eq(parcelAutomats.id, orders.parcelAutomatId))
      .innerJoin(goods, eq(goods.id, orders.goodId))
      .innerJoin(users, eq(users.id, orders.userId))
      // Archived goods and lockers are never dispatched (archiving needs no open order, and
      // ordering refuses them, so this only guards against a row written around those rules).
      .where(
        and(
          eq(orders.status, 'pending'),
          isNull(goods.archivedAt),
          isNull(parcelAutomats.archivedAt),
          opts.orderId ? eq(orders.id, opts.orderId) : undefined,
          opts.skip?.length ? notInArray(orders.id, opts.skip) : undefined,
        ),
      )
      .orderBy(asc(orders.createdAt), asc(orders.id))
      .limit(opts.limit)
      .for('no key update', { of: orders, skipLocked: true });
    if (claimed.length === 0) return [{ kind: 'idle' } as const];
    return assignClaimedOrders(tx, { claimed, opts, now });
  });
}

/**
 * Claims the oldest pending order that is not in `skip` (or the one given) and assigns it in one
 * short transaction; see claimAndAssignBatch.
 */
export async function claimAndAssignNext(
  db: Db,
  opts: AssignOptions & { skip?: string[]; orderId?: string },
): Promise<AssignOutcome> {
  const [outcome] = await claimAndAssignBatch(db, { ...opts, limit: 1 });
  return outcome ?? { kind: 'idle' };
}

type AssignRow = {
  order_id: string;
  outcome: 'assigned' | 'no_drone' | 'no_internal_cell' | 'no_external_cell';
  drone_id: string | null;
  distance_m: number | null;
};

/**
 * The whole assignment of a claimed batch as ONE call of dispatch_assign_batch (migration
 * dispatch_assign_batch): per order, in claim order, the nearest free drone, then the drop cell,
 * then (if the order holds none) the pickup cell; an order missing any of them writes nothing.
 * Then, set-based, the deliveries, the order, drone and cell statuses, both timeline events per
 * order and the customer's notification (with its NOTIFY), the rows the step-by-step version
 * wrote. Locks follow lib/orders/locks.ts: the orders are already held; drones and cells are
 * taken with SKIP LOCKED, so they never wait. The notification texts come from
 * notificationMessage, their one home; the function only stores them.
 */
async function assignClaimedOrders(
  tx: Tx,
  { claimed, opts, now }: { claimed: ClaimedOrder[]; opts: AssignOptions; now: Date },
): Promise<AssignOutcome[]> {
  const offlineAfterS = Math.round(opts.offlineAfterMs / 1000);
  const reason = `Nearest idle drone with battery above ${opts.minBattery}% seen in the last ${offlineAfterS} s`;
  const batch = claimed.map((order, n) => {
    const target = parseCoordinates(order.coordinates);
    const deliveryId = randomUUID();
    // The customer's "a drone took your order", as notifyOrderCustomer / enqueueNotification write it.
    const message = notificationMessage(
      'order_assigned',
      { orderId: order.id, good: order.goodName, address: order.address, city: order.city },
      order.locale,
    );
    return {
      n,
      order_id: order.id,
      automat_id: order.automatId,
      pickup_cell_id: order.lockerCellId,
      lat: target.lat,
      lon: target.lon,
      height: order.height,
      length: order.length,
      width: order.width,
      delivery_id: deliveryId,
      user_id: order.userId,
      title: message.title,
      body: message.body,
      data: { order_id: order.id, link: message.link },
    };
  });
  const seenSince = new Date(now.getTime() - opts.offlineAfterMs);
  const rows = (await tx.execute(sql`
    select order_id, outcome, drone_id, distance_m
      from dispatch_assign_batch(${JSON.stringify(batch)}::jsonb, ${opts.minBattery}::numeric,
        ${tsParam(seenSince)}, ${tsParam(now)}, ${reason}::text,
        ${NOTIFICATIONS_CHANNEL}::text)`)) as unknown as AssignRow[];
  if (rows.length !== batch.length)
    throw new Error(`Assignment returned ${rows.length} outcomes for ${batch.length} orders`);
  return rows.map((r, i): AssignOutcome => {
    const b = batch[i]!;
    if (r.order_id !== b.order_id) throw new Error(`Assignment outcomes out of order: ${r.order_id} for ${b.order_id}`);
    if (r.outcome !== 'assigned') return { kind: 'skipped', orderId: b.order_id, reason: r.outcome };
    if (r.drone_id === null) throw new Error(`Assignment of order ${b.order_id} returned no drone`);
    return {
      kind: 'assigned',
      orderId: b.order_id,
      deliveryId: b.delivery_id,
      droneId: r.drone_id,
      distanceM: r.distance_m === null ? null : Math.round(Number(r.distance_m)),
    };
  });
}

/** Assigns one specific pending order now (e.g. an operator's "dispatch now"). */
export function assignOrder(db: Db, orderId: string, opts: AssignOptions): Promise<AssignOutcome> {
  return claimAndAssignNext(db, { ...opts, orderId });
}

/**
 * One sweep: assigns pending orders oldest first, CLAIM_BATCH per transaction, until none is
 * left, no drone is free, `max` outcomes are in, or `shouldStop` says so. Orders that cannot be
 * served now (no cell at their locker) are skipped, not retried in a loop. `onOutcome` hears of
 * each outcome once its transaction has committed; `afterBatch` runs between two batches.
 */
export async function assignPendingOrders(
  db: Db,
  opts: AssignOptions & {
    max?: number;
    batch?: number;
    shouldStop?: () => boolean;
    onOutcome?: (o: AssignOutcome) => void;
    afterBatch?: () => Promise<void>;
  },
): Promise<AssignOutcome[]> {
  const results: AssignOutcome[] = [];
  const skip: string[] = [];
  const max = opts.max ?? 100;
  while (results.length < max && !opts.shouldStop?.()) {
    const batch = await claimAndAssignBatch(db, {
      ...opts,
      skip,
      limit: Math.min(opts.batch ?? CLAIM_BATCH, max - results.length),
    });
    let noDrone = false;
    for (const outcome of batch) {
      if (outcome.kind === 'idle') return results;
      // No drone for one order means none for the later ones of the batch either (they wrote nothing).
      if (noDrone && outcome.kind === 'skipped') continue;
      results.push(outcome);
      opts.onOutcome?.(outcome);
      if (outcome.kind === 'skipped') {
        if (outcome.reason === 'no_drone') noDrone = true;
        else skip.push(outcome.orderId);
      }
    }
    if (noDrone) break;
    await opts.afterBatch?.();
  }
  return results;
}

export type DroneEvent = { type: 'started' } | { type: 'dropped' } | { type: 'failed'; reason: string };

/** The drone's report on its delivery. Repeating the event that produced the current status is a no-op. */
export async function applyDroneEvent(
  db: Db,
  input: { deliveryId: string; droneId: string; event: DroneEvent; now?: Date },
): Promise<Delivery> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    // The order first, then the delivery (lib/orders/locks.ts): an operator cancelling this
    // order at the same moment takes them in the same order, so one simply waits for the other.
    const locked = await lockOrderAndDelivery(tx, input.deliveryId);
    if (!locked) throw notFound('Delivery');
    const { delivery } = locked;
    if (delivery.droneId !== input.droneId)
      throw new AppError('forbidden', 'Only the drone assigned to this delivery may report on it.');
    const actor: Actor = { type: 'drone', id: input.droneId };
    const e = input.event;

    if (e.type === 'started') {
      if (delivery.status === 'in_progress') return delivery;
      if (!canTransition('delivery', delivery.status, 'in_progress'))
        throw invalidTransition(`A delivery that is ${delivery.status} cannot start.`);
      const d = await moveDelivery(tx, { delivery, to: 'in_progress', now, set: { startedAt: now } });
      await recordEvent(tx, {
        orderId: delivery.orderId,
        deliveryId: delivery.id,
        entity: 'delivery',
        event: 'started',
        fromStatus: 'assigned',
        toStatus: 'in_progress',
        actor,
      });
      return d;
    }

    if (e.type === 'dropped') {
      if (delivery.status === 'delivered') return delivery;
      if (!canTransition('delivery', delivery.status, 'delivered'))
        throw invalidTransition(`A delivery that is ${delivery.status} cannot be dropped.`);
      const d = await moveDelivery(tx, { delivery, to: 'delivered', now });
      await moveDrone(tx, { id: input.droneId, from: ['busy'], to: 'idle', now });
      if (delivery.internalLockerCellId)
        await moveCell(tx, { kind: 'internal', id: delivery.internalLockerCellId, to: 'occupied' });
      await recordEvent(tx, {
        orderId: delivery.orderId,
        deliveryId: delivery.id,
        entity: 'delivery',
        event: 'dropped',
        fromStatus: 'in_progress',
        toStatus: 'delivered',
        actor,
      });
      await notifyDispatch(tx, 'drone_idle');
      return d;
    }

    if (delivery.status === 'failed') return delivery;
    if (!(DRONE_HELD_DELIVERY_STATUSES as readonly string[]).includes(delivery.status))
      throw invalidTransition(`A delivery that is ${delivery.status} cannot fail.`);
    return failDelivery(tx, { ...locked, reason: e.reason, actor, now });
  });
}

/**
 * Ends an active delivery as failed: its drone and drop cell are released (in that order, see
 * lib/orders/locks.ts). The order is the caller's business; the caller holds its lock.
 */
/** How a delivery ends in failure: why, who said so, when, and the state its drone is left in (idle by default). */
export type DeliveryFailure = { reason: string; actor: Actor; now: Date; droneStatus?: 'idle' | 'offline' };

export async function abortDelivery(
  tx: Tx,
  { delivery, reason, actor, now, droneStatus }: { delivery: Delivery } & DeliveryFailure,
): Promise<Delivery> {
  const d = await moveDelivery(tx, {
    delivery,
    to: 'failed',
    now,
    set: { failureReason: reason.slice(0, 500) },
  });
  if (delivery.droneId) await moveDrone(tx, { id: delivery.droneId, to: droneStatus ?? 'idle', now });
  if (delivery.internalLockerCellId)
    await moveCell(tx, { kind: 'internal', id: delivery.internalLockerCellId, to: 'available' });
  await recordEvent(tx, {
    orderId: delivery.orderId,
    deliveryId: delivery.id,
    entity: 'delivery',
    event: 'failed',
    fromStatus: delivery.status,
    toStatus: 'failed',
    actor,
    details: { reason },
  });
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
  { order, delivery, ...failure }: { order: Order; delivery: Delivery } & DeliveryFailure,
): Promise<Delivery> {
  const { reason, now } = failure;
  if (delivery.orderId !== order.id) throw new Error('failDelivery: the delivery does not belong to the locked order');
  const d = await abortDelivery(tx, { delivery, ...failure });
  // Only failures since the operator last reopened the order count (a fresh budget). Ordered by
  // timeline ids, not clocks: a delivery's first event is written after any earlier reopen committed.
  const [{ failures } = { failures: 0 }] = await tx
    .select({ failures: sql<number>`count(*)::int` })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.orderId, order.id),
        eq(deliveries.status, 'failed'),
        sql`not exists (select 1 from ${deliveryEvents} r
          where r.order_id = ${order.id} and r.entity = 'order' and r.event = ${REOPENED_EVENT}
          and r.id > (select min(e.id) from ${deliveryEvents} e where e.delivery_id = ${deliveries.id}))`,
      ),
    );
  if (failures >= MAX_DELIVERY_ATTEMPTS) {
    await cancelLockedOrder(tx, {
      order,
      actor: { type: 'system' },
      reason: `Delivery failed ${failures} times (last: ${reason})`,
      now,
      notify: 'order_failed',
      deliveryId: delivery.id,
    });
  } else {
    await moveOrder(tx, { order, to: 'pending', now });
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
  if ((failure.droneStatus ?? 'idle') === 'idle') await notifyDispatch(tx, 'drone_idle');
  return d;
}

/** The locker moved the parcel from the drop cell to the pickup cell: the order is ready. */
export async function transferToPickupCell(
  db: Db,
  input: { automatId: string; deliveryId: string; now?: Date },
): Promise<{ orderId: string; externalCellNumber: number | null }> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    // Order, then delivery (lib/orders/locks.ts).
    const locked = await lockOrderAndDelivery(tx, input.deliveryId, { automatId: input.automatId });
    if (!locked) throw notFound('Delivery');
    const { order, delivery } = locked;
    if (delivery.status !== 'delivered')
      throw invalidTransition(`Only a dropped parcel can be transferred; this delivery is ${delivery.status}.`);
    let cellId = order.lockerCellId;
    if (!cellId) {
      const [good] = await tx
        .select({ height: goods.height, length: goods.length, width: goods.width })
        .from(goods)
        .where(eq(goods.id, order.goodId));
      const cell = good ? await reserveExternalCell(tx, input.automatId, good) : undefined;
      if (!cell) throw new AppError('no_capacity', 'No free pickup cell fits this parcel; free one and retry.');
      cellId = cell.id;
    }
    const [cell] = await tx
      .select({ cellNumber: lockerCellsOut.cellNumber })
      .from(lockerCellsOut)
      .where(eq(lockerCellsOut.id, cellId));
    await moveDelivery(tx, { delivery, to: 'completed', now, set: { completedAt: now } });
    if (delivery.internalLockerCellId)
      await moveCell(tx, { kind: 'internal', id: delivery.internalLockerCellId, to: 'available' });
    await moveCell(tx, { kind: 'external', id: cellId, to: 'occupied' });
    await moveOrder(tx, { order, to: 'delivered', now, set: { lockerCellId: cellId } });
    const pickupPin = await assignPickupPin(tx, order.id);
    const actor: Actor = { type: 'automat', id: input.automatId };
    await recordEvent(tx, {
      orderId: order.id,
      deliveryId: delivery.id,
      entity: 'delivery',
      event: 'transferred',
      fromStatus: 'delivered',
      toStatus: 'completed',
      actor,
    });
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
    await notifyOrderCustomer(tx, {
      orderId: order.id,
      kind: 'order_ready',
      opts: { cellNumber: cell?.cellNumber ?? null, pickupPin },
    });
    await notifyDispatch(tx, 'cell_freed');
    return { orderId: order.id, externalCellNumber: cell?.cellNumber ?? null };
  });
}

type WaitingParcel = { id: string; cellId: string | null; cellNumber: number | null };

/**
 * The one place an order becomes completed: the parcels the caller locked (all delivered) are
 * out of their pickup cells, which are free again, each with its 'collected' timeline event.
 */
async function completePickups(
  tx: Tx,
  {
    parcels,
    automatId,
    actor,
    now,
    details = {},
  }: { parcels: WaitingParcel[]; automatId: string; actor: Actor; now: Date; details?: Record<string, unknown> },
): Promise<void> {
  // The pickup spends the parcel's PIN.
  await moveOrders(tx, {
    ids: parcels.map((p) => p.id),
    from: 'delivered',
    to: 'completed',
    now,
    set: { pickupPin: null },
  });
  for (const p of parcels) {
    if (p.cellId) await moveCell(tx, { kind: 'external', id: p.cellId, to: 'available' });
    await recordEvent(tx, {
      orderId: p.id,
      entity: 'order',
      event: 'collected',
      fromStatus: 'delivered',
      toStatus: 'completed',
      actor,
      details: { cell_number: p.cellNumber, automat_id: automatId, ...details },
    });
    await notifyOrderCustomer(tx, { orderId: p.id, kind: 'order_collected' });
  }
}

/** The customer collected at this automat: every waiting parcel of theirs here opens. */
export async function collectParcels(
  db: DbOrTx,
  input: { automatId: string; userId: string; actor?: Actor; now?: Date },
): Promise<{ cellNumber: number | null; orderId: string }[]> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    // Several orders: locked in ascending id (lib/orders/locks.ts), listed by cell number.
    const locked = await tx
      .select({ id: orders.id, cellId: orders.lockerCellId, cellNumber: lockerCellsOut.cellNumber })
      .from(orders)
      .leftJoin(lockerCellsOut, eq(lockerCellsOut.id, orders.lockerCellId))
      .where(
        and(
          eq(orders.userId, input.userId),
          eq(orders.parcelAutomatId, input.automatId),
          eq(orders.status, 'delivered'),
        ),
      )
      .orderBy(asc(orders.id))
      .for('no key update', { of: orders });
    if (locked.length === 0)
      throw new AppError('nothing_to_collect', 'No parcels are waiting for this customer at this locker.');
    const waiting = [...locked].sort(
      (a, b) => (a.cellNumber ?? Number.MAX_SAFE_INTEGER) - (b.cellNumber ?? Number.MAX_SAFE_INTEGER),
    );
    await completePickups(tx, {
      parcels: waiting,
      automatId: input.automatId,
      actor: input.actor ?? { type: 'customer', id: input.userId },
      now,
    });
    return waiting.map((w) => ({ cellNumber: w.cellNumber, orderId: w.id }));
  });
}

/** A customer typed a parcel's pickup PIN at this automat: that one parcel opens. */
export async function collectParcelWithPin(
  db: Db,
  input: { automatId: string; pin: string; now?: Date },
): Promise<{ cellNumber: number | null; orderId: string }[]> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    // A second kiosk request with the same PIN waits for this lock, then finds the PIN spent.
    const [parcel] = await tx
      .select({
        id: orders.id,
        userId: orders.userId,
        cellId: orders.lockerCellId,
        cellNumber: lockerCellsOut.cellNumber,
      })
      .from(orders)
      .leftJoin(lockerCellsOut, eq(lockerCellsOut.id, orders.lockerCellId))
      .where(
        and(
          eq(orders.parcelAutomatId, input.automatId),
          eq(orders.pickupPin, input.pin),
          eq(orders.status, 'delivered'),
        ),
      )
      .for('no key update', { of: orders });
    if (!parcel) throw new AppError('invalid_pin', 'No parcel waiting at this locker has this PIN.');
    await completePickups(tx, {
      parcels: [parcel],
      automatId: input.automatId,
      actor: { type: 'customer', id: parcel.userId },
      now,
      details: {
        method: 'pin',
      },
    });
    return [{ cellNumber: parcel.cellNumber, orderId: parcel.id }];
  });
}

/**
 * Staff hand a waiting parcel over by hand (e.g. the kiosk is out of order): the order is
 * completed as if collected, its pickup cell freed; the timeline's 'collected' event says it
 * was forced and why, so order-to-pickup times still count it.
 */
export async function forceCompletePickup(
  tx: Tx,
  input: { orderId: string; actor: Actor; reason: string; now?: Date },
): Promise<{ fromStatus: 'delivered'; cellNumber: number | null }> {
  const now = input.now ?? new Date();
  const [order] = await tx
    .select({
      id: orders.id,
      status: orders.status,
      automatId: orders.parcelAutomatId,
      cellId: orders.lockerCellId,
      cellNumber: lockerCellsOut.cellNumber,
    })
    .from(orders)
    .leftJoin(lockerCellsOut, eq(lockerCellsOut.id, orders.lockerCellId))
    .where(eq(orders.id, input.orderId))
    .for('no key update', { of: orders });
  if (!order) throw notFound('Order');
  if (!canForcePickup(order)) {
    throw invalidTransition(
      order.status === 'completed'
        ? 'This parcel has already been collected; there is nothing to hand over.'
        : order.status === 'cancelled'
          ? 'This order is cancelled; there is no parcel to hand over.'
          : `The parcel is not in a pickup cell yet (the order is ${order.status}). ` +
            'Wait until the locker reports it ready for pickup.',
    );
  }
  await completePickups(tx, {
    parcels: [order],
    automatId: order.automatId,
    actor: input.actor,
    now,
    details: { forced: true, reason: input.reason },
  });
  return { fromStatus: 'delivered', cellNumber: order.cellNumber };
}
