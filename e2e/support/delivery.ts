import { createDb, createSql } from '@/db';
import { applyDroneEvent, assignOrder, transferToPickupCell } from '@/lib/dispatch/delivery-flow';
import { recordTelemetry } from '@/lib/telemetry/record';

/**
 * A drone of the test's own (tests run in parallel: none competes for another's drone),
 * reporting in at the hub so the dispatcher may assign it.
 */
export async function reportingTestDrone(
  databaseUrl: string,
  at = { lat: 55.7262, lon: 37.6497 },
  speed?: number,
): Promise<string> {
  const sql = createSql(databaseUrl, 1);
  try {
    const [drone] = await sql<{ id: string }[]>`
      insert into drones (model, ip_address, status)
      values ('E2E test drone',
        ${`10.250.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`}, 'idle')
      returning id`;
    await recordTelemetry(createDb(sql), {
      droneId: drone!.id,
      readings: [{ ...at, battery_level: 99, status: 'idle', ...(speed ? { speed_mps: speed, heading_deg: 10 } : {}) }],
    });
    return drone!.id;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Runs an order's delivery through the domain layer, as the worker, a drone and the locker
 * would: a drone reports in, the order is assigned, flown, dropped and transferred.
 * Returns the pickup cell number.
 */
export async function deliverThroughDomain(
  databaseUrl: string,
  orderId: string,
  automatId: string,
): Promise<number | null> {
  await reportingTestDrone(databaseUrl);
  const sql = createSql(databaseUrl, 2);
  try {
    const db = createDb(sql);
    const assigned = await assignOrder(db, orderId, { minBattery: 30, offlineAfterMs: 60_000 });
    if (assigned.kind !== 'assigned') throw new Error(`order ${orderId} was not assigned: ${JSON.stringify(assigned)}`);
    await applyDroneEvent(db, {
      deliveryId: assigned.deliveryId,
      droneId: assigned.droneId,
      event: { type: 'started' },
    });
    await applyDroneEvent(db, {
      deliveryId: assigned.deliveryId,
      droneId: assigned.droneId,
      event: { type: 'dropped' },
    });
    const moved = await transferToPickupCell(db, { automatId, deliveryId: assigned.deliveryId });
    return moved.externalCellNumber;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Fails an order's delivery `times` times through the domain layer, each time with a drone of
 * the test's own (after MAX_DELIVERY_ATTEMPTS the system cancels the order).
 */
export async function failThroughDomain(
  databaseUrl: string,
  { orderId, times, reason = 'e2e: rotor fault' }: { orderId: string; times: number; reason?: string },
): Promise<void> {
  for (let i = 0; i < times; i++) {
    const droneId = await reportingTestDrone(databaseUrl);
    const sql = createSql(databaseUrl, 2);
    try {
      const db = createDb(sql);
      const assigned = await assignOrder(db, orderId, { minBattery: 30, offlineAfterMs: 60_000 });
      if (assigned.kind !== 'assigned')
        throw new Error(`order ${orderId} was not assigned: ${JSON.stringify(assigned)}`);
      await applyDroneEvent(db, {
        deliveryId: assigned.deliveryId,
        droneId: assigned.droneId,
        event: { type: 'failed', reason },
      });
      // Our drone (or whichever was nearest) is free again; park ours so it is not reused by others.
      await sql`update drones set status = 'maintenance' where id = ${droneId} and status = 'idle'`;
    } finally {
      await sql.end({ timeout: 5 });
    }
  }
}
