import { createDb, createSql } from '@/db';
import { applyDroneEvent, assignOrder, transferToPickupCell } from '@/lib/dispatch/lifecycle';
import { recordTelemetry } from '@/lib/telemetry/record';

/**
 * Runs an order's delivery through the domain layer, as the worker, a drone and the locker
 * would: the given drone reports in, the order is assigned, flown, dropped and transferred.
 * Returns the pickup cell number.
 */
export async function deliverThroughDomain(databaseUrl: string, orderId: string, automatId: string, droneIp: string): Promise<number | null> {
  const sql = createSql(databaseUrl, 2);
  try {
    const db = createDb(sql);
    const [drone] = await sql<{ id: string }[]>`select id from drones where ip_address = ${droneIp}`;
    if (!drone) throw new Error(`no drone ${droneIp}`);
    await recordTelemetry(db, drone.id, [{ lat: 55.7262, lon: 37.6497, battery_level: 99, status: 'idle' }]);
    const assigned = await assignOrder(db, orderId, { minBattery: 30, offlineAfterMs: 60_000 });
    if (assigned.kind !== 'assigned') throw new Error(`order ${orderId} was not assigned: ${JSON.stringify(assigned)}`);
    await applyDroneEvent(db, { deliveryId: assigned.deliveryId, droneId: assigned.droneId, event: { type: 'started' } });
    await applyDroneEvent(db, { deliveryId: assigned.deliveryId, droneId: assigned.droneId, event: { type: 'dropped' } });
    const moved = await transferToPickupCell(db, { automatId, deliveryId: assigned.deliveryId });
    return moved.externalCellNumber;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
