import 'server-only';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../index';
import {
  deliveries,
  deliveryEvents,
  drones,
  goods,
  lockerCellsOut,
  orders,
  parcelAutomats,
  type DeliveryStatus,
  type DroneStatus,
  type OrderStatus,
  EN_ROUTE_DELIVERY_STATUSES,
} from '../schema';
import { parseCoordinates } from '../coordinates';

export type OrderSummary = {
  id: string;
  status: OrderStatus;
  createdAt: Date;
  updatedAt: Date;
  good: { id: string; name: string; weight: number; height: number; length: number; width: number };
  automat: { id: string; city: string; address: string; lat: number; lon: number };
  /** Only once the parcel is in the locker (or collected). */
  cellNumber: number | null;
  /** The 6-digit pickup PIN, only while the parcel waits in the locker. */
  pickupPin: string | null;
};

const summaryColumns = {
  id: orders.id,
  status: orders.status,
  createdAt: orders.createdAt,
  updatedAt: orders.updatedAt,
  goodId: goods.id,
  goodName: goods.name,
  weight: goods.weight,
  height: goods.height,
  length: goods.length,
  width: goods.width,
  automatId: parcelAutomats.id,
  city: parcelAutomats.city,
  address: parcelAutomats.address,
  coordinates: parcelAutomats.coordinates,
  cellNumber: lockerCellsOut.cellNumber,
  pickupPin: orders.pickupPin,
};

type SummaryRow = Awaited<ReturnType<typeof summaries>>[number];

function toSummary(r: SummaryRow): OrderSummary {
  const revealCell = r.status === 'delivered' || r.status === 'completed';
  return {
    id: r.id,
    status: r.status,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    good: { id: r.goodId, name: r.goodName, weight: r.weight, height: r.height, length: r.length, width: r.width },
    automat: { id: r.automatId, city: r.city, address: r.address, ...parseCoordinates(r.coordinates) },
    cellNumber: revealCell ? r.cellNumber : null,
    pickupPin: r.status === 'delivered' ? r.pickupPin : null,
  };
}

function summaries(db: DbOrTx) {
  return db
    .select(summaryColumns)
    .from(orders)
    .innerJoin(goods, eq(goods.id, orders.goodId))
    .innerJoin(parcelAutomats, eq(parcelAutomats.id, orders.parcelAutomatId))
    .leftJoin(lockerCellsOut, eq(lockerCellsOut.id, orders.lockerCellId));
}

/** The customer's orders, newest first. */
export async function listOrdersForUser(
  db: DbOrTx,
  { userId, limit = 100 }: { userId: string; limit?: number },
): Promise<OrderSummary[]> {
  const rows = await summaries(db)
    .where(eq(orders.userId, userId))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit);
  return rows.map(toSummary);
}

/** One order of this customer, or undefined (also for another customer's order). */
export async function findOrderSummaryForUser(
  db: DbOrTx,
  { orderId, userId }: { orderId: string; userId: string },
): Promise<OrderSummary | undefined> {
  const [row] = await summaries(db).where(and(eq(orders.id, orderId), eq(orders.userId, userId)));
  return row ? toSummary(row) : undefined;
}

/** Parcels waiting in lockers for the customer (status delivered). */
export async function listWaitingParcels(db: DbOrTx, { userId }: { userId: string }): Promise<OrderSummary[]> {
  const rows = await summaries(db)
    .where(and(eq(orders.userId, userId), eq(orders.status, 'delivered')))
    .orderBy(asc(orders.updatedAt));
  return rows.map(toSummary);
}

export type TimelineEntry = {
  id: number;
  event: string;
  entity: string;
  fromStatus: string | null;
  toStatus: string | null;
  actorType: string;
  details: Record<string, unknown>;
  createdAt: Date;
};

export type OrderTracking = {
  deliveryId: string;
  deliveryStatus: DeliveryStatus;
  drone: {
    id: string;
    callSign: string;
    status: DroneStatus;
    lat: number | null;
    lon: number | null;
    headingDeg: number | null;
    speedMps: number | null;
    batteryLevel: number | null;
    lastSeenAt: Date | null;
  } | null;
};

/** `droneCallSign`: the drone of the latest delivery attempt, whatever its state (the customer's timeline names it). */
export type OrderDetail = OrderSummary & {
  timeline: TimelineEntry[];
  tracking: OrderTracking | null;
  droneCallSign?: string | null;
};

/** One order of this customer (undefined for someone else's), with timeline and live delivery. */
export async function getOrderForUser(
  db: DbOrTx,
  { orderId, userId }: { orderId: string; userId: string },
): Promise<OrderDetail | undefined> {
  const summary = await findOrderSummaryForUser(db, { orderId, userId });
  if (!summary) return undefined;
  const [timeline, active, latest] = await Promise.all([
    db
      .select({
        id: deliveryEvents.id,
        event: deliveryEvents.event,
        entity: deliveryEvents.entity,
        fromStatus: deliveryEvents.fromStatus,
        toStatus: deliveryEvents.toStatus,
        actorType: deliveryEvents.actorType,
        details: deliveryEvents.details,
        createdAt: deliveryEvents.createdAt,
      })
      .from(deliveryEvents)
      .where(eq(deliveryEvents.orderId, orderId))
      .orderBy(asc(deliveryEvents.createdAt), asc(deliveryEvents.id)),
    db
      .select({
        deliveryId: deliveries.id,
        deliveryStatus: deliveries.status,
        droneId: drones.id,
        droneCallSign: drones.callSign,
        droneStatus: drones.status,
        lat: drones.lastLat,
        lon: drones.lastLon,
        headingDeg: drones.headingDeg,
        speedMps: drones.speedMps,
        batteryLevel: drones.batteryLevel,
        lastSeenAt: drones.lastSeenAt,
      })
      .from(deliveries)
      .leftJoin(drones, eq(drones.id, deliveries.droneId))
      .where(and(eq(deliveries.orderId, orderId), inArray(deliveries.status, [...EN_ROUTE_DELIVERY_STATUSES])))
      .orderBy(desc(deliveries.createdAt))
      .limit(1),
    db
      .select({ callSign: drones.callSign })
      .from(deliveries)
      .innerJoin(drones, eq(drones.id, deliveries.droneId))
      .where(eq(deliveries.orderId, orderId))
      .orderBy(desc(deliveries.createdAt))
      .limit(1),
  ]);
  const a = active[0];
  const tracking: OrderTracking | null = a
    ? {
        deliveryId: a.deliveryId,
        deliveryStatus: a.deliveryStatus,
        drone: a.droneId
          ? {
              id: a.droneId,
              callSign: a.droneCallSign ?? '',
              status: a.droneStatus ?? 'offline',
              lat: a.lat,
              lon: a.lon,
              headingDeg: a.headingDeg,
              speedMps: a.speedMps,
              batteryLevel: a.batteryLevel,
              lastSeenAt: a.lastSeenAt,
            }
          : null,
      }
    : null;
  return { ...summary, timeline, tracking, droneCallSign: latest[0]?.callSign ?? null };
}
