import type { OrderDetail, OrderSummary } from '@/db/queries/orders';
import { haversineMeters } from '@/lib/geo';
import { customerMilestones } from './milestones';

// JSON shapes of the contract (snake_case, ISO times, numbers for coordinates).

/** Used for the ETA when a drone has not reported a usable speed yet (m/s). */
export const NOMINAL_CRUISE_SPEED_MPS = 15;

export function orderJson(o: OrderSummary) {
  return {
    id: o.id,
    status: o.status,
    created_at: o.createdAt.toISOString(),
    updated_at: o.updatedAt.toISOString(),
    good: {
      id: o.good.id,
      name: o.good.name,
      weight: o.good.weight,
      height: o.good.height,
      length: o.good.length,
      width: o.good.width,
    },
    automat: {
      id: o.automat.id,
      city: o.automat.city,
      address: o.automat.address,
      lat: o.automat.lat,
      lon: o.automat.lon,
    },
    cell_number: o.cellNumber,
    pickup_pin: o.pickupPin,
  };
}

export function trackingJson(o: OrderDetail, now = new Date()) {
  const t = o.tracking;
  if (!t) return null;
  const d = t.drone;
  let distance: number | null = null;
  let eta: number | null = null;
  if (
    d &&
    d.lat !== null &&
    d.lon !== null &&
    (t.deliveryStatus === 'assigned' || t.deliveryStatus === 'in_progress')
  ) {
    distance = haversineMeters({ lat: d.lat, lon: d.lon }, o.automat);
    const speed = d.speedMps && d.speedMps > 0.5 ? d.speedMps : NOMINAL_CRUISE_SPEED_MPS;
    eta = Math.round(distance / speed);
  }
  return {
    delivery_id: t.deliveryId,
    delivery_status: t.deliveryStatus,
    drone: d
      ? {
          id: d.id,
          call_sign: d.callSign,
          status: d.status,
          lat: d.lat,
          lon: d.lon,
          heading_deg: d.headingDeg,
          speed_mps: d.speedMps,
          battery_level: d.batteryLevel,
          last_seen_at: d.lastSeenAt?.toISOString() ?? null,
          last_seen_seconds_ago: d.lastSeenAt
            ? Math.max(0, Math.round((now.getTime() - d.lastSeenAt.getTime()) / 1000))
            : null,
        }
      : null,
    distance_m: distance === null ? null : Math.round(distance),
    eta_seconds: eta,
  };
}

/** What the dispatcher noted on an assignment: how it chose, not something the customer needs. */
const DISPATCH_INTERNALS = ['reason', 'distance_m', 'battery_level', 'internal_cell_number'];

/**
 * What the customer sees of an event's details. An operator's note on their own actions
 * (a retry, a hand-over) is internal; only a cancellation's reason is meant for the customer.
 * The dispatcher's reasoning on an assignment ("nearest idle drone with battery above …") is
 * internal too.
 */
function customerDetails(e: OrderDetail['timeline'][number]): Record<string, unknown> {
  if (e.event === 'assigned')
    return Object.fromEntries(Object.entries(e.details).filter(([k]) => !DISPATCH_INTERNALS.includes(k)));
  if (e.actorType !== 'admin' || e.event === 'cancelled' || !('reason' in e.details)) return e.details;
  const { reason: _internal, ...rest } = e.details;
  return rest;
}

export function orderDetailJson(o: OrderDetail, now = new Date()) {
  return {
    ...orderJson(o),
    timeline: o.timeline.map((e) => ({
      event: e.event,
      entity: e.entity,
      from_status: e.fromStatus,
      to_status: e.toStatus,
      actor: e.actorType,
      details: customerDetails(e),
      at: e.createdAt.toISOString(),
    })),
    milestones: customerMilestones(o, o.timeline).map((m) => ({
      key: m.key,
      at: m.at?.toISOString() ?? null,
      until: m.until?.toISOString() ?? null,
      cell_number: m.cellNumber,
      reason: m.reason,
      by_customer: m.byCustomer,
      call_sign: m.callSign,
    })),
    tracking: trackingJson(o, now),
  };
}

export type OrderDetailJson = ReturnType<typeof orderDetailJson>;
export type OrderJson = ReturnType<typeof orderJson>;
