import type { Tx } from '@/db';
import { deliveryEvents, type EventActor } from '@/db/schema';

export type Actor = { type: EventActor; id?: string | null };

export type OrderEventInput = {
  orderId: string;
  deliveryId?: string | null;
  entity: 'order' | 'delivery';
  event: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  actor: Actor;
  details?: Record<string, unknown>;
};

/** Appends one timeline row; always inside the transaction that made the change. */
export async function recordEvent(tx: Tx, e: OrderEventInput): Promise<void> {
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
