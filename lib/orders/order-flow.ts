import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db';
import {
  CELL_HOLDING_ORDER_STATUSES,
  HELD_CELL_STATUSES,
  deliveries,
  deliveryEvents,
  goods,
  orders,
  parcelAutomats,
  users,
  type Order,
  ACTIVE_DELIVERY_STATUSES,
} from '@/db/schema';
import { env } from '@/env';
import { AppError, invalidTransition, notFound } from '@/lib/errors';
import { notifyDispatch } from '@/lib/dispatch/notify';
import { notifyOrderCustomer } from '@/lib/notifications/outbox';
import { recordEvent, type Actor } from './events';
import { reserveExternalCell } from './cells';
import { canCancelAsCustomer } from '@/lib/lifecycle/guards';
import { moveCell, moveOrder } from '@/lib/lifecycle/writes';
import { lockOrder } from './locks';

// Where orders are created, cancelled and reopened, each in one transaction with its timeline
// event; the status changes are edges of lib/lifecycle/machine.ts, written through
// lib/lifecycle/writes.ts.

export const outOfStock = () =>
  new AppError('out_of_stock', 'This item has just sold out. Choose another item or try again later.');

/** The timeline event of an operator reopening an order; delivery failures before it no longer count. */
export const REOPENED_EVENT = 'reopened';

/** Orders that still hold a cell and are not finished: the ones MAX_OPEN_ORDERS counts. */
export const OPEN_ORDER_STATUSES = CELL_HOLDING_ORDER_STATUSES;

export const tooManyOrders = (max: number) =>
  new AppError(
    'too_many_orders',
    `You already have ${max} open orders, the most one account may have at once. ` +
      'Collect or cancel one of them, then order again.',
  );

/**
 * Enforces MAX_OPEN_ORDERS inside the order's transaction. The customer's row is locked first
 * (FOR NO KEY UPDATE, so it does not block the orders' foreign-key checks), which serialises
 * one customer's concurrent orders: the count cannot go stale before this order is inserted.
 */
async function checkOpenOrderCap(tx: Tx, userId: string, max: number): Promise<void> {
  const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('no key update');
  if (!user) throw notFound('Account');
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(orders)
    .where(and(eq(orders.userId, userId), inArray(orders.status, [...OPEN_ORDER_STATUSES])));
  if ((row?.n ?? 0) >= max) throw tooManyOrders(max);
}

/**
 * Takes one unit of the good; the row lock serialises buyers. Undefined when none is left or
 * the good was archived meanwhile (the update re-reads the row after waiting for its lock).
 */
async function takeOneUnit(tx: Tx, goodId: string): Promise<number | undefined> {
  const [taken] = await tx
    .update(goods)
    .set({ quantityAvailable: sql`${goods.quantityAvailable} - 1` })
    .where(and(eq(goods.id, goodId), sql`${goods.quantityAvailable} > 0`, isNull(goods.archivedAt)))
    .returning({ left: goods.quantityAvailable });
  return taken?.left;
}

const noLongerSold = () =>
  new AppError('not_found', 'This item is no longer sold. Choose another one from the catalog.');

/**
 * The good and the locker an order is for, as placing or reopening it needs them. The locker is
 * share-locked: an operator archiving or deleting it (a row lock) waits for this order, or this
 * order sees it archived. Each caller refuses what it finds missing in its own words.
 */
async function readOrderTargets(tx: Tx, { goodId, automatId }: { goodId: string; automatId: string }) {
  const [good] = await tx
    .select({
      id: goods.id,
      name: goods.name,
      height: goods.height,
      length: goods.length,
      width: goods.width,
      archivedAt: goods.archivedAt,
    })
    .from(goods)
    .where(eq(goods.id, goodId));
  const [automat] = await tx
    .select({ id: parcelAutomats.id, isWorking: parcelAutomats.isWorking, archivedAt: parcelAutomats.archivedAt })
    .from(parcelAutomats)
    .where(eq(parcelAutomats.id, automatId))
    .for('share');
  return { good, automat };
}

/**
 * Creates a pending order: takes one unit of stock and reserves the smallest free pickup
 * cell at the chosen automat that the good fits in. Runs at READ COMMITTED: the stock row's
 * lock serialises concurrent buyers of one good (so stock never goes below zero and nothing
 * is oversold), and cells are taken with FOR UPDATE SKIP LOCKED plus the optimistic
 * `status = 'available'` update, so two orders never get the same cell. One customer may
 * hold at most MAX_OPEN_ORDERS open orders (409 too_many_orders).
 */
export async function createOrder(
  db: Db,
  input: { userId: string; goodId: string; automatId: string },
  { actor, opts = {} }: { actor: Actor; opts?: { maxOpenOrders?: number } },
): Promise<Order> {
  return db.transaction(async (tx) => {
    await checkOpenOrderCap(tx, input.userId, opts.maxOpenOrders ?? env().MAX_OPEN_ORDERS);
    const { good, automat } = await readOrderTargets(tx, input);
    if (!good) throw notFound('Good');
    if (good.archivedAt) throw noLongerSold();
    if (!automat) throw notFound('Parcel automat');
    if (automat.archivedAt)
      throw new AppError('not_found', 'This parcel locker is no longer in service. Choose another locker.');
    if (!automat.isWorking)
      throw new AppError('no_capacity', 'This parcel locker is temporarily closed. Choose another locker.');

    const stockLeft = await takeOneUnit(tx, good.id);
    if (stockLeft === undefined) {
      const [now] = await tx.select({ archivedAt: goods.archivedAt }).from(goods).where(eq(goods.id, good.id));
      throw now?.archivedAt ? noLongerSold() : outOfStock();
    }

    const cell = await reserveExternalCell(tx, automat.id, good);
    if (!cell) {
      throw new AppError(
        'no_capacity',
        `No free cell at this locker fits “${good.name}” right now. Choose another locker.`,
      );
    }

    const [order] = await tx
      .insert(orders)
      .values({
        userId: input.userId,
        goodId: good.id,
        parcelAutomatId: automat.id,
        lockerCellId: cell.id,
        status: 'pending',
      })
      .returning();
    if (!order) throw new Error('Order insert returned nothing');
    await recordEvent(tx, {
      orderId: order.id,
      entity: 'order',
      event: 'created',
      toStatus: 'pending',
      actor,
      details: { good: good.name, stock_left: stockLeft, cell_number: cell.cellNumber },
    });
    await notifyDispatch(tx, 'order_created');
    return order;
  });
}

/**
 * The one place an order becomes cancelled: stock comes back and the order's pickup cell is
 * released, with the timeline event. The caller has locked the order (then any delivery, as
 * lib/orders/locks.ts orders them) and dealt with its deliveries first.
 */
export async function cancelLockedOrder(
  tx: Tx,
  {
    order,
    actor,
    reason,
    now = new Date(),
    notify,
    deliveryId,
  }: {
    order: Order;
    actor: Actor;
    reason: string;
    now?: Date;
    /** The customer's notification: order_cancelled unless said otherwise. */
    notify?: 'order_cancelled' | 'order_failed';
    /** The delivery whose failure ends the order, for the timeline event. */
    deliveryId?: string;
  },
): Promise<Order> {
  const cancelled = await moveOrder(tx, { order, to: 'cancelled', now });
  // Stock, then the cell: the lock order of lib/orders/locks.ts.
  await tx
    .update(goods)
    .set({ quantityAvailable: sql`${goods.quantityAvailable} + 1` })
    .where(eq(goods.id, order.goodId));
  if (order.lockerCellId)
    await moveCell(tx, { kind: 'external', id: order.lockerCellId, from: [...HELD_CELL_STATUSES], to: 'available' });
  await recordEvent(tx, {
    orderId: order.id,
    deliveryId,
    entity: 'order',
    event: 'cancelled',
    fromStatus: order.status,
    toStatus: 'cancelled',
    actor,
    details: { reason, stock_restored: 1 },
  });
  // The customer is told, unless they cancelled it themselves (they are looking at it). Keyed
  // per reopening, so a reopened order that ends again is told again; a replay is not.
  if (actor.type !== 'customer')
    await notifyOrderCustomer(tx, {
      orderId: order.id,
      kind: notify ?? 'order_cancelled',
      opts: {
        reason,
        key: String(await reopenCount(tx, order.id)),
      },
    });
  return cancelled;
}

/** How many times operators have reopened this order: the "generation" of its end states. */
async function reopenCount(tx: Tx, orderId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(deliveryEvents)
    .where(and(eq(deliveryEvents.orderId, orderId), eq(deliveryEvents.event, REOPENED_EVENT)));
  return row?.n ?? 0;
}

/**
 * The one place a cancelled order comes back (the caller has locked it and decided it may):
 * as at creation it takes one unit of stock and the smallest free pickup cell that fits at its
 * automat, then it is pending again with a fresh delivery-attempt budget (failures before its
 * REOPENED_EVENT no longer count) and the order workers are woken.
 */
export async function reopenLockedOrder(
  tx: Tx,
  { order, actor, reason, now = new Date() }: { order: Order; actor: Actor; reason: string; now?: Date },
): Promise<Order> {
  if (order.status !== 'cancelled')
    throw invalidTransition(`Only a cancelled order can be reopened; this one is ${order.status}.`);
  const { good, automat } = await readOrderTargets(tx, { goodId: order.goodId, automatId: order.parcelAutomatId });
  if (!good) throw notFound('Good');
  if (good.archivedAt)
    throw invalidTransition(`“${good.name}” is archived. Restore it on the goods page first, then retry.`);
  if (!automat) throw notFound('Parcel automat');
  if (automat.archivedAt)
    throw invalidTransition('This parcel locker is archived. Restore it on its page first, then retry.');
  if (!automat.isWorking)
    throw new AppError(
      'no_capacity',
      'This parcel locker is marked as not working. Put it back in service first, then retry.',
    );

  const stockLeft = await takeOneUnit(tx, good.id);
  if (stockLeft === undefined)
    throw new AppError('out_of_stock', `“${good.name}” is out of stock. ` + 'Add stock on the goods page, then retry.');
  const cell = await reserveExternalCell(tx, order.parcelAutomatId, good);
  if (!cell)
    throw new AppError(
      'no_capacity',
      `No free pickup cell at this locker fits “${good.name}” right now. Free or add a cell, then retry.`,
    );

  const reopened = await moveOrder(tx, { order, to: 'pending', now, set: { lockerCellId: cell.id } });
  await recordEvent(tx, {
    orderId: order.id,
    entity: 'order',
    event: REOPENED_EVENT,
    fromStatus: 'cancelled',
    toStatus: 'pending',
    actor,
    details: { reason, stock_left: stockLeft, cell_number: cell.cellNumber },
  });
  // The customer was told it failed or was cancelled: tell them it is back on (once per reopen).
  await notifyOrderCustomer(tx, {
    orderId: order.id,
    kind: 'order_reopened',
    opts: { key: String(await reopenCount(tx, order.id)) },
  });
  await notifyDispatch(tx, 'order_requeued');
  return reopened;
}

/**
 * Cancels a pending order (no drone has taken it yet): stock comes back and the reserved
 * cell is released. `userId` limits it to the customer's own orders (others are 404).
 */
export async function cancelOrder(
  db: Db,
  input: { orderId: string; userId?: string; reason?: string },
  actor: Actor,
): Promise<Order> {
  return db.transaction(async (tx) => {
    const order = await lockOrder(tx, input.orderId, { userId: input.userId });
    if (!order) throw notFound('Order');
    if (!canCancelAsCustomer(order)) {
      throw invalidTransition(
        order.status === 'cancelled'
          ? 'This order is already cancelled.'
          : 'A drone has already taken this order, so it can no longer be cancelled here. ' +
              'Contact support if you need help.',
      );
    }
    const [active] = await tx
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(and(eq(deliveries.orderId, order.id), inArray(deliveries.status, [...ACTIVE_DELIVERY_STATUSES])))
      .limit(1);
    if (active)
      throw invalidTransition('A drone is being assigned to this order right now, so it can no longer be cancelled.');
    return cancelLockedOrder(tx, { order, actor, reason: input.reason ?? 'Cancelled by the customer' });
  });
}
