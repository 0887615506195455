import type { OrderStatus } from '@/db/schema';
import { isInLocker } from '@/lib/lifecycle/guards';

// What the customer's order page shows of an order's history: at most five milestones, in
// order (placed, drone on its way, in the locker until the pickup deadline, collected; or
// placed and cancelled with its reason). The timeline behind them (delivery_events) keeps every
// step, with the dispatcher's reasoning, failed attempts and staff notes; operators see all of
// it on the admin order page. A drone assignment writes two events (the delivery's and the
// order's); here it is one milestone.

/** How long a parcel waits in its pickup cell: the "in the locker until" date the customer is told. */
export const PICKUP_HOLD_MS = 72 * 60 * 60 * 1000;

export type MilestoneKey = 'placed' | 'on_the_way' | 'in_locker' | 'collected' | 'cancelled';

/** `at` is null for a milestone still to come (shown greyed, so the customer sees what is next). */
export type Milestone = {
  key: MilestoneKey;
  at: Date | null;
  until: Date | null;
  cellNumber: number | null;
  reason: string | null;
  byCustomer: boolean;
  callSign: string | null;
};

type Event = { event: string; entity: string; actorType: string; details: Record<string, unknown>; createdAt: Date };

const last = (events: Event[], event: string, entity?: string) =>
  events.findLast((e) => e.event === event && (entity === undefined || e.entity === entity));
const num = (v: unknown) => (typeof v === 'number' ? v : null);

function milestone(key: MilestoneKey, at: Date | null, extra: Partial<Milestone> = {}): Milestone {
  return { key, at, until: null, cellNumber: null, reason: null, byCustomer: false, callSign: null, ...extra };
}

/** The customer's milestones of an order, oldest first, from its timeline (oldest first). */
export function customerMilestones(
  order: { status: OrderStatus; createdAt: Date; droneCallSign?: string | null },
  timeline: Event[],
): Milestone[] {
  const placed = milestone('placed', last(timeline, 'created')?.createdAt ?? order.createdAt);
  if (order.status === 'cancelled') {
    const c = last(timeline, 'cancelled');
    const byCustomer = c?.actorType === 'customer';
    const reason = !byCustomer && typeof c?.details.reason === 'string' ? c.details.reason : null;
    return [placed, milestone('cancelled', c?.createdAt ?? null, { reason, byCustomer })];
  }
  const flying = order.status === 'processing' || order.status === 'delivered' || order.status === 'completed';
  const inLocker = isInLocker(order);
  // The drone of the current (successful) attempt: the latest assignment.
  const assigned = flying ? (last(timeline, 'assigned', 'delivery') ?? last(timeline, 'assigned')) : undefined;
  const ready = inLocker ? last(timeline, 'in_locker') : undefined;
  const collected = order.status === 'completed' ? last(timeline, 'collected') : undefined;
  return [
    placed,
    // The drone by its call sign, as operators and the tracking map name it.
    milestone('on_the_way', flying ? (assigned?.createdAt ?? null) : null, {
      callSign: flying ? (order.droneCallSign ?? null) : null,
    }),
    milestone('in_locker', ready?.createdAt ?? null, {
      until: ready ? new Date(ready.createdAt.getTime() + PICKUP_HOLD_MS) : null,
      cellNumber: num(ready?.details.cell_number),
    }),
    milestone('collected', collected?.createdAt ?? null),
  ];
}
