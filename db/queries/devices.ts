import 'server-only';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { parseCoordinates } from '../coordinates';
import type { DbOrTx } from '../index';
import {
  deliveries,
  DRONE_HELD_DELIVERY_STATUSES,
  drones,
  EN_ROUTE_DELIVERY_STATUSES,
  goods,
  lockerCellsInternal,
  lockerCellsOut,
  orders,
  parcelAutomats,
} from '../schema';

const taskFields = {
  id: deliveries.id,
  status: deliveries.status,
  orderId: deliveries.orderId,
  automatId: parcelAutomats.id,
  city: parcelAutomats.city,
  address: parcelAutomats.address,
  coordinates: parcelAutomats.coordinates,
  arucoId: parcelAutomats.arucoId,
  cellId: lockerCellsInternal.id,
  cellNumber: lockerCellsInternal.cellNumber,
  goodName: goods.name,
  weight: goods.weight,
  height: goods.height,
  length: goods.length,
  width: goods.width,
};

const activeDelivery = inArray(deliveries.status, [...DRONE_HELD_DELIVERY_STATUSES]);

type TaskRow = { [K in keyof typeof taskFields]: (typeof taskFields)[K]['_']['data'] | null };

function toTask(row: TaskRow) {
  if (row.id === null || row.coordinates === null) return undefined;
  const { lat, lon } = parseCoordinates(row.coordinates);
  return {
    id: row.id,
    status: row.status!,
    order_id: row.orderId!,
    automat: { id: row.automatId!, city: row.city!, address: row.address!, lat, lon, aruco_id: row.arucoId! },
    internal_cell: row.cellId ? { id: row.cellId, cell_number: row.cellNumber } : null,
    good: { name: row.goodName!, weight: row.weight, height: row.height, length: row.length, width: row.width },
  };
}

/**
 * The drone's active delivery (assigned or in progress) with where to go and what it carries,
 * for a device request, with its key checked in the same query (one round
 * trip; a rotated key stops at once): null when the drone does not exist or `keyHash` is not
 * its current key, else its task (undefined when it has none).
 */
export async function findDroneTask(db: DbOrTx, { droneId, keyHash }: { droneId: string; keyHash: string }) {
  const [row] = await db
    .select({ droneId: drones.id, ...taskFields })
    .from(drones)
    .leftJoin(deliveries, and(eq(deliveries.droneId, drones.id), activeDelivery))
    .leftJoin(orders, eq(orders.id, deliveries.orderId))
    .leftJoin(goods, eq(goods.id, orders.goodId))
    .leftJoin(parcelAutomats, eq(parcelAutomats.id, deliveries.parcelAutomatId))
    .leftJoin(lockerCellsInternal, eq(lockerCellsInternal.id, deliveries.internalLockerCellId))
    .where(and(eq(drones.id, droneId), eq(drones.apiKeyHash, keyHash)))
    .limit(1);
  if (!row) return null;
  return { task: toTask(row) };
}

/** Deliveries bound for this automat that it should expect or move (assigned, in progress, delivered). */
export async function listExpectedDeliveries(db: DbOrTx, { automatId }: { automatId: string }) {
  const rows = await db
    .select({
      id: deliveries.id,
      status: deliveries.status,
      droneId: deliveries.droneId,
      internalCellNumber: lockerCellsInternal.cellNumber,
      externalCellNumber: lockerCellsOut.cellNumber,
    })
    .from(deliveries)
    .innerJoin(orders, eq(orders.id, deliveries.orderId))
    .leftJoin(lockerCellsInternal, eq(lockerCellsInternal.id, deliveries.internalLockerCellId))
    .leftJoin(lockerCellsOut, eq(lockerCellsOut.id, orders.lockerCellId))
    .where(and(eq(deliveries.parcelAutomatId, automatId), inArray(deliveries.status, [...EN_ROUTE_DELIVERY_STATUSES])))
    .orderBy(asc(deliveries.createdAt));
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    drone_id: r.droneId,
    internal_cell_number: r.internalCellNumber,
    external_cell_number: r.externalCellNumber,
  }));
}

export async function recordAutomatHeartbeat(
  db: DbOrTx,
  { automatId, isWorking, now = new Date() }: { automatId: string; isWorking: boolean; now?: Date },
) {
  await db.update(parcelAutomats).set({ isWorking, lastSeenAt: now }).where(eq(parcelAutomats.id, automatId));
}
