import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '@/db';
import {
  deliveries,
  deliveryEvents,
  drones,
  orders,
  type DeliveryStatus,
  type EventActor,
  type OrderStatus,
} from '@/db/schema';
import { abortDelivery, assignOrder, forceCompletePickup, type AssignOptions } from '@/lib/dispatch/delivery-flow';
import { notifyDispatch } from '@/lib/dispatch/notify';
import { notFound } from '@/lib/errors';
import { formatDistance } from '@/lib/geo';
import { recordEvent } from '@/lib/orders/events';
import { cancelLockedOrder, reopenLockedOrder } from '@/lib/orders/order-flow';
import { lockDeliveriesOfOrder, lockOrder } from '@/lib/orders/locks';
import { recordAudit, type AuditContext } from './audit';
import { adminInvalidTransition } from './refusal';
import { DROP_CELL_DELIVERY_STATUSES } from '@/db/schema';
import { canCancelAsAdmin } from '@/lib/lifecycle/guards';

/**
 * An operator cancels a pending or processing order. A drone on the way is released (its
 * delivery fails with the reason); stock and cells come back; one audit row records it.
 * A parcel already dropped in the locker cannot be cancelled this way.
 */
export async function cancelOrderAsAdmin(
  db: Db,
  ctx: AuditContext,
  { orderId, reason }: { orderId: string; reason: string },
): Promise<{ status: string }> {
  const now = new Date();
  return db.transaction(async (tx) => {
    // The order, then its deliveries (lib/orders/locks.ts): a drone's failure event on this
    // order takes them in the same order, so one waits for the other instead of a deadlock.
    const order = await lockOrder(tx, orderId);
    if (!order) throw notFound('Order');
    if (!canCancelAsAdmin(order)) {
      throw adminInvalidTransition(
        `Only pending or processing orders can be cancelled; this one is ${order.status}.`,
        'adminOps.cancel.wrongStatus',
      );
    }
    const actor = { type: 'admin' as const, id: ctx.userId };
    const active = await lockDeliveriesOfOrder(tx, order.id, DROP_CELL_DELIVERY_STATUSES);
    if (active.some((d) => d.status === 'delivered')) {
      throw adminInvalidTransition(
        'The parcel is already in the locker’s drop cell. Let the locker move it, then handle it from there.',
        'adminOps.cancel.dropped',
      );
    }
    const why = `Cancelled by an operator: ${reason}`;
    for (const d of active) await abortDelivery(tx, { delivery: d, reason: why, actor, now });
    await cancelLockedOrder(tx, { order, actor, reason: why, now });
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

export type RetryFacts = { status: OrderStatus; lastDelivery: DeliveryStatus | null; cancelledBy: EventActor | null };

/** Why a retry is refused; the portal words it from adminOps.retry.refused. */
export type RetryRefusal = 'collected' | 'in_locker' | 'in_flight' | 'never_failed' | 'cancelled';

/** How an operator may retry an order's delivery, or why not. */
export type RetryPlan =
  { kind: 'dispatch' } | { kind: 'reopen' } | { kind: 'refused'; reason: RetryRefusal; message: string };

/**
 * The retry rule, shared by the action and the order page. Only an order whose latest delivery
 * failed qualifies: re-queued (pending) it is dispatched now; cancelled by the system because
 * its attempts ran out, it is reopened with a fresh attempt budget.
 */
export function planDeliveryRetry({ status, lastDelivery, cancelledBy }: RetryFacts): RetryPlan {
  const refused = (reason: RetryRefusal, message: string): RetryPlan => ({ kind: 'refused', reason, message });
  switch (status) {
    case 'completed':
      return refused('collected', 'The customer has already collected this parcel; there is nothing to retry.');
    case 'delivered':
      return refused(
        'in_locker',
        'The parcel is already in a pickup cell. ' +
          'If the customer cannot open the locker, hand it over and complete the pickup instead.',
      );
    case 'processing':
      return refused(
        'in_flight',
        'A drone is on this delivery right now. Wait until it delivers or fails; cancel the order if it must stop.',
      );
    case 'pending':
      return lastDelivery === 'failed'
        ? { kind: 'dispatch' }
        : refused(
            'never_failed',
            'No delivery of this order has failed; it is waiting for its first drone ' +
              'and the order worker assigns it as soon as one is free.',
          );
    case 'cancelled':
      if (lastDelivery !== 'failed' || cancelledBy !== 'system') {
        const canceller =
          cancelledBy === 'admin'
            ? 'an operator'
            : cancelledBy === 'customer'
              ? 'the customer'
              : (cancelledBy ?? 'someone');
        return refused(
          'cancelled',
          `This order was cancelled by ${canceller}, not because its delivery attempts ran out, ` +
            'so it cannot be retried. Ask the customer to place a new order.',
        );
      }
      return { kind: 'reopen' };
  }
}

export type RetryWait = 'no_drone' | 'no_internal_cell' | 'no_external_cell' | 'changed';

/**
 * What a retry did. `message` is English (the API, the logs); the portal words the outcome
 * from the other fields: why it still waits, which drone took it and how far away it was.
 */
export type RetryResult = {
  outcome: 'assigned' | 'waiting' | 'reopened';
  status: OrderStatus;
  droneId: string | null;
  message: string;
  waiting?: RetryWait;
  drone?: { callSign: string; model: string } | null;
  distanceM?: number | null;
};

const WAITING: Record<'no_drone' | 'no_internal_cell' | 'no_external_cell', string> = {
  no_drone:
    'Still waiting: no idle drone with enough battery has reported recently. ' +
    'The order worker assigns one as soon as it is free.',
  no_internal_cell:
    'Still waiting: every drop cell at this locker is in use. The order worker assigns a drone when one is freed.',
  no_external_cell:
    'Still waiting: no free pickup cell at this locker fits the parcel. ' +
    'Free a cell; the order worker then assigns a drone.',
};

/**
 * An operator retries an order whose latest delivery failed (see planDeliveryRetry). A
 * re-queued order is assigned now if a drone qualifies (the request is recorded first, in its
 * own transaction; the assignment records its own events). A cancelled one is reopened: stock
 * and a pickup cell are taken again and the worker is woken. Either way one audit row.
 */
export async function retryDeliveryAsAdmin(
  db: Db,
  ctx: AuditContext,
  { orderId, reason, dispatch }: { orderId: string; reason: string; dispatch: AssignOptions },
): Promise<RetryResult> {
  const now = new Date();
  const actor = { type: 'admin' as const, id: ctx.userId };
  const planned = await db.transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!order) throw notFound('Order');
    const [last] = await tx
      .select({ id: deliveries.id, status: deliveries.status, failureReason: deliveries.failureReason })
      .from(deliveries)
      .where(eq(deliveries.orderId, order.id))
      .orderBy(desc(deliveries.createdAt))
      .limit(1);
    const [cancel] =
      order.status === 'cancelled'
        ? await tx
            .select({ actorType: deliveryEvents.actorType })
            .from(deliveryEvents)
            .where(
              and(
                eq(deliveryEvents.orderId, order.id),
                eq(deliveryEvents.entity, 'order'),
                eq(deliveryEvents.toStatus, 'cancelled'),
              ),
            )
            .orderBy(desc(deliveryEvents.id))
            .limit(1)
        : [];
    const plan = planDeliveryRetry({
      status: order.status,
      lastDelivery: last?.status ?? null,
      cancelledBy: cancel?.actorType ?? null,
    });
    if (plan.kind === 'refused')
      throw adminInvalidTransition(plan.message, `adminOps.retry.refused.${plan.reason}`, {
        by: cancel?.actorType ?? 'other',
      });
    const before = {
      status: order.status,
      last_delivery: { id: last?.id, status: last?.status, failure_reason: last?.failureReason },
    };

    if (plan.kind === 'reopen') {
      const reopened = await reopenLockedOrder(tx, { order, actor, reason, now });
      await recordAudit(tx, ctx, {
        action: 'order.delivery_retried',
        resourceType: 'order',
        resourceId: order.id,
        before,
        after: { status: reopened.status, locker_cell_id: reopened.lockerCellId },
        details: { reason, mode: 'reopened' },
      });
      return plan;
    }
    await recordEvent(tx, {
      orderId: order.id,
      entity: 'order',
      event: 'dispatch_requested',
      fromStatus: 'pending',
      toStatus: 'pending',
      actor,
      details: { reason },
    });
    await recordAudit(tx, ctx, {
      action: 'order.delivery_retried',
      resourceType: 'order',
      resourceId: order.id,
      before,
      after: { status: 'pending' },
      details: { reason, mode: 'dispatch_now' },
    });
    return plan;
  });

  if (planned.kind === 'reopen') {
    return {
      outcome: 'reopened',
      status: 'pending',
      droneId: null,
      message:
        'Reopened with a fresh budget of delivery attempts; the order worker assigns a drone as soon as one is free.',
    };
  }
  const outcome = await assignOrder(db, orderId, dispatch);
  if (outcome.kind === 'assigned') {
    const [drone] = await db
      .select({ callSign: drones.callSign, model: drones.model })
      .from(drones)
      .where(eq(drones.id, outcome.droneId));
    const away = outcome.distanceM === null ? '' : `, ${formatDistance(outcome.distanceM)} from the locker`;
    const name = drone ? `${drone.callSign} (${drone.model})` : `drone ${outcome.droneId.slice(0, 8)}`;
    return {
      outcome: 'assigned',
      status: 'processing',
      droneId: outcome.droneId,
      message: `Assigned to ${name}${away}.`,
      drone: drone ?? null,
      distanceM: outcome.distanceM,
    };
  }
  if (outcome.kind === 'skipped')
    return {
      outcome: 'waiting',
      status: 'pending',
      droneId: null,
      message: WAITING[outcome.reason],
      waiting: outcome.reason,
    };
  // Someone else's transaction had the order (the worker assigning it, or another change).
  const [current] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
  return {
    outcome: 'waiting',
    status: current?.status ?? 'pending',
    droneId: null,
    waiting: 'changed',
    message:
      `Not assigned by this request: the order changed meanwhile (it is now ${current?.status ?? 'gone'}). ` +
      'Refresh to see its state.',
  };
}

/**
 * Staff hand a parcel over by hand (the kiosk is out of order): a delivered order is completed
 * and its pickup cell freed, with the forced 'collected' event and one audit row.
 */
export async function forcePickupAsAdmin(
  db: Db,
  ctx: AuditContext,
  { orderId, reason }: { orderId: string; reason: string },
): Promise<{ status: 'completed'; cellNumber: number | null }> {
  return db.transaction(async (tx) => {
    const done = await forceCompletePickup(tx, { orderId, actor: { type: 'admin', id: ctx.userId }, reason });
    await recordAudit(tx, ctx, {
      action: 'order.pickup_forced',
      resourceType: 'order',
      resourceId: orderId,
      before: { status: done.fromStatus, cell_number: done.cellNumber },
      after: { status: 'completed' },
      details: { reason },
    });
    return { status: 'completed', cellNumber: done.cellNumber };
  });
}
