import { eq } from 'drizzle-orm';
import type { Db } from '@/db';
import { drones } from '@/db/schema';
import { issueDeviceKey } from '@/lib/devices/issue';
import { invalidTransition, notFound } from '@/lib/errors';
import { recordAudit, type AuditContext } from './audit';

/** Issues (or re-issues, revoking the old) a drone's key; the audit row records the fact, never the key. */
export async function issueDroneKeyAsAdmin(db: Db, ctx: AuditContext, droneId: string): Promise<string> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ id: drones.id, hadKey: drones.apiKeyHash }).from(drones).where(eq(drones.id, droneId)).for('update');
    if (!before) throw notFound('Drone');
    const key = await issueDeviceKey(tx, 'drone', droneId);
    await recordAudit(tx, ctx, {
      action: before.hadKey ? 'drone.key_rotated' : 'drone.key_issued',
      resourceType: 'drone',
      resourceId: droneId,
      before: { has_key: Boolean(before.hadKey) },
      after: { has_key: true },
    });
    return key;
  });
}

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
