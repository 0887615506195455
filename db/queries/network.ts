import 'server-only';
import { asc, eq, isNull, sql } from 'drizzle-orm';
import { parseCoordinates } from '../coordinates';
import type { DbOrTx } from '../index';
import { drones, lockerCellsOut, orders, parcelAutomats } from '../schema';
import type { DroneStatus, OrderStatus } from '../schema';

export type AutomatSummary = {
  id: string;
  city: string;
  address: string;
  lat: number;
  lon: number;
  arucoId: number;
  isWorking: boolean;
  /** Pickup cells: all, available, under maintenance (lib/cell-metric.ts turns them into the metric). */
  externalCells: number;
  availableExternalCells: number;
  maintenanceExternalCells: number;
  lastSeenAt: Date | null;
  /** When it was archived (out of service for good); null while in the network. */
  archivedAt: Date | null;
};

/**
 * Every locker with its pickup cell counts. Archived lockers are left out (the home page, the
 * overview, the live map) unless `includeArchived` (the admin's locker list).
 */
export async function listAutomatSummaries(
  db: DbOrTx,
  { includeArchived = false }: { includeArchived?: boolean } = {},
): Promise<AutomatSummary[]> {
  const rows = await db
    .select({
      id: parcelAutomats.id,
      city: parcelAutomats.city,
      address: parcelAutomats.address,
      coordinates: parcelAutomats.coordinates,
      arucoId: parcelAutomats.arucoId,
      isWorking: parcelAutomats.isWorking,
      lastSeenAt: parcelAutomats.lastSeenAt,
      archivedAt: parcelAutomats.archivedAt,
      externalCells: sql<number>`count(${lockerCellsOut.id})::int`,
      availableExternalCells: sql<number>`count(${lockerCellsOut.id})
        filter (where ${lockerCellsOut.status} = 'available')::int`,
      maintenanceExternalCells: sql<number>`count(${lockerCellsOut.id})
        filter (where ${lockerCellsOut.status} = 'maintenance')::int`,
    })
    .from(parcelAutomats)
    .leftJoin(lockerCellsOut, eq(lockerCellsOut.postId, parcelAutomats.id))
    .where(includeArchived ? undefined : isNull(parcelAutomats.archivedAt))
    .groupBy(parcelAutomats.id)
    .orderBy(asc(parcelAutomats.city), asc(parcelAutomats.address));
  return rows.map(({ coordinates, ...r }) => ({ ...r, ...parseCoordinates(coordinates) }));
}

export type FleetCounts = { total: number; byStatus: Record<DroneStatus, number>; lowBattery: number };

export async function countDrones(db: DbOrTx, { lowBatteryAt }: { lowBatteryAt: number }): Promise<FleetCounts> {
  const rows = await db
    .select({
      status: drones.status,
      n: sql<number>`count(*)::int`,
      low: sql<number>`count(*) filter (where ${drones.batteryLevel} <= ${lowBatteryAt})::int`,
    })
    .from(drones)
    .groupBy(drones.status);
  const byStatus: Record<DroneStatus, number> = { idle: 0, busy: 0, charging: 0, maintenance: 0, offline: 0 };
  let total = 0;
  let lowBattery = 0;
  for (const r of rows) {
    byStatus[r.status] = r.n;
    total += r.n;
    lowBattery += r.low;
  }
  return { total, byStatus, lowBattery };
}

export async function countOrdersByStatus(db: DbOrTx): Promise<Record<OrderStatus, number>> {
  const rows = await db
    .select({ status: orders.status, n: sql<number>`count(*)::int` })
    .from(orders)
    .groupBy(orders.status);
  const counts: Record<OrderStatus, number> = { pending: 0, processing: 0, delivered: 0, completed: 0, cancelled: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

export type DroneRow = {
  id: string;
  callSign: string;
  model: string;
  ipAddress: string;
  status: DroneStatus;
  batteryLevel: number | null;
  /**
   * Speed in the latest reading: with status and lastSeenAt it tells a drone flying home (lib/admin/drone-state.ts).
   */
  speedMps: number | null;
  lastSeenAt: Date | null;
};

export async function listDrones(db: DbOrTx): Promise<DroneRow[]> {
  return db
    .select({
      id: drones.id,
      callSign: drones.callSign,
      model: drones.model,
      ipAddress: drones.ipAddress,
      status: drones.status,
      batteryLevel: drones.batteryLevel,
      speedMps: drones.speedMps,
      lastSeenAt: drones.lastSeenAt,
    })
    .from(drones)
    .orderBy(asc(drones.callSign));
}
