import type { Tx } from '@/db';
import { deliveryEvents, type EventActor } from '@/db/schema';
import { isEdgeEvent, type TimelineEvent } from '@/lib/lifecycle/machine';

export type Actor = { type: EventActor; id?: string | null };

export type OrderEventInput = {
  orderId: string;
  deliveryId?: string | null;
  entity: 'order' | 'delivery';
  event: TimelineEvent;
  fromStatus?: string | null;
  toStatus?: string | null;
  actor: Actor;
  details?: Record<string, unknown>;
};

/**
 * Appends one timeline row; always inside the transaction that made the change. A row that
 * records a status change must name the machine's edge for it (lib/lifecycle/machine.ts); one
 * that keeps the status (an operator's "dispatch now" on a pending order) names none.
 */
export async function recordEvent(tx: Tx, e: OrderEventInput): Promise<void> {
  if (
    e.toStatus &&
    e.toStatus !== e.fromStatus &&
    !isEdgeEvent(e.entity, { from: e.fromStatus ?? null, to: e.toStatus, event: e.event })
  )
    throw new Error(
      `Timeline: the ${e.entity} machine has no '${e.event}' edge ${e.fromStatus ?? '(new)'} → ${e.toStatus}`,
    );
  await tx.insert(deliveryEvents).values({
    orderId: e.orderId,
    deliveryId: e.deliveryId ?? null,
    entity: e.entity,
    event: e.event,
    fromStatus: e.fromStatus ?? null,
    toStatus: e.toStatus ?? null,
    actorType: e.actor.type,
    actorId: e.actor.id ?? null,
    details: e.details ?? {},
  });
}
