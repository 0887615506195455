import { eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/db';
import { drones, parcelAutomats } from '@/db/schema';
import type { DeviceKind } from '@/lib/devices/keys';
import { issueDeviceKey } from '@/lib/devices/issue';
import { invalidTransition, notFound } from '@/lib/errors';
import type { DroneInput } from '@/lib/validation/fleet';
import { recordAudit, type AuditContext } from './audit';

/** Issues (or re-issues, revoking the old) a device's key; the audit row records the fact, never the key. */
export async function issueDeviceKeyAsAdmin(db: Db, ctx: AuditContext, kind: DeviceKind, id: string): Promise<string> {
  const table = kind === 'drone' ? drones : parcelAutomats;
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ id: table.id, hadKey: table.apiKeyHash }).from(table).where(eq(table.id, id)).for('update');
    if (!before) throw notFound(kind === 'drone' ? 'Drone' : 'Parcel automat');
    const key = await issueDeviceKey(tx, kind, id);
    await recordAudit(tx, ctx, {
      action: `${kind}.${before.hadKey ? 'key_rotated' : 'key_issued'}`,
      resourceType: kind,
      resourceId: id,
      before: { has_key: Boolean(before.hadKey) },
      after: { has_key: true },
    });
    return key;
  });
}

export const issueDroneKeyAsAdmin = (db: Db, ctx: AuditContext, droneId: string) => issueDeviceKeyAsAdmin(db, ctx, 'drone', droneId);

/**
 * Puts a drone into maintenance (never while it is on a delivery) or back into service
 * (idle: the worker only assigns it once it reports again).
 */
export async function setDroneMaintenance(db: Db, ctx: AuditContext, droneId: string, maintenance: boolean): Promise<{ status: string }> {
  return db.transaction(async (tx) => {
    const [drone] = await tx.select({ id: drones.id, status: drones.status }).from(drones).where(eq(drones.id, droneId)).for('update');
    if (!drone) throw notFound('Drone');
    if (maintenance && drone.status === 'busy') throw invalidTransition('This drone is on a delivery. Wait until it drops its parcel, or fail the delivery first.');
    const status = maintenance ? 'maintenance' : drone.status === 'maintenance' ? 'idle' : drone.status;
    if (status !== drone.status) {
      await tx.update(drones).set({ status, updatedAt: new Date() }).where(eq(drones.id, droneId));
    }
    await recordAudit(tx, ctx, {
      action: maintenance ? 'drone.maintenance_on' : 'drone.maintenance_off',
      resourceType: 'drone',
      resourceId: droneId,
      before: { status: drone.status },
      after: { status },
    });
    return { status };
  });
}

const droneSnapshot = (d: { model: string; ipAddress: string; status: string }) => ({ model: d.model, ip_address: d.ipAddress, status: d.status });

/**
 * Registers a drone. It starts "offline": it has never reported, so the worker does not
 * assign it until its first telemetry (with a key issued here) brings it online.
 */
export async function createDrone(db: Db, ctx: AuditContext, input: DroneInput) {
  return db.transaction(async (tx) => {
    const [d] = await tx.insert(drones).values({ model: input.model, ipAddress: input.ip_address, status: 'offline' }).returning();
    if (!d) throw new Error('Drone insert returned nothing');
    await recordAudit(tx, ctx, { action: 'drone.created', resourceType: 'drone', resourceId: d.id, after: droneSnapshot(d) });
    return d;
  });
}

export async function updateDrone(db: Db, ctx: AuditContext, id: string, input: DroneInput) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(drones).where(eq(drones.id, id)).for('update');
    if (!before) throw notFound('Drone');
    const [after] = await tx.update(drones).set({ model: input.model, ipAddress: input.ip_address, updatedAt: new Date() }).where(eq(drones.id, id)).returning();
    if (!after) throw notFound('Drone');
    await recordAudit(tx, ctx, { action: 'drone.updated', resourceType: 'drone', resourceId: id, before: droneSnapshot(before), after: droneSnapshot(after) });
    return after;
  });
}

/** Counting a drone's readings stops here: the page refreshes, and 1 Hz adds 86,400 a day. */
export const TELEMETRY_COUNT_CAP = 100_000;

/** What deleting a drone takes with it, for the confirmation (telemetry counted up to the cap). */
export async function droneDeletionImpact(db: DbOrTx, id: string) {
  const [row] = await db.execute<{ deliveries: number; active: number; telemetry: number }>(sql`
    select (select count(*)::int from deliveries where drone_id = ${id}) as deliveries,
           (select count(*)::int from deliveries where drone_id = ${id} and status in ('pending', 'assigned', 'in_progress')) as active,
           (select count(*)::int from (select 1 from drone_telemetry where drone_id = ${id} limit ${TELEMETRY_COUNT_CAP + 1}) capped) as telemetry`);
  return { deliveries: row?.deliveries ?? 0, activeDeliveries: row?.active ?? 0, telemetry: row?.telemetry ?? 0 };
}

/**
 * Deletes a drone. Per the spec its deliveries stay (drone_id becomes NULL) and its telemetry
 * goes with it. Refused while it is on a delivery: fail or finish that first.
 */
export async function deleteDrone(db: Db, ctx: AuditContext, id: string) {
  return db.transaction(async (tx) => {
    const [d] = await tx.select().from(drones).where(eq(drones.id, id)).for('update');
    if (!d) throw notFound('Drone');
    const impact = await droneDeletionImpact(tx, id);
    if (impact.activeDeliveries > 0 || d.status === 'busy') throw invalidTransition('This drone is on a delivery. Wait until it is done, or cancel the order from the orders console, before deleting it.');
    await tx.delete(drones).where(eq(drones.id, id));
    await recordAudit(tx, ctx, {
      action: 'drone.deleted',
      resourceType: 'drone',
      resourceId: id,
      before: droneSnapshot(d),
      details: { deliveries_kept: impact.deliveries, telemetry_deleted: impact.telemetry },
    });
    return { deliveriesKept: impact.deliveries, telemetryDeleted: impact.telemetry };
  });
}
