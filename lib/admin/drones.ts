import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '@/db';
import { drones, parcelAutomats } from '@/db/schema';
import type { DeviceKind } from '@/lib/device-keys/keys';
import { issueDeviceKey } from '@/lib/device-keys/issue';
import { AppError, constraintName, invalidTransition, notFound } from '@/lib/errors';
import type { DroneInput } from '@/lib/validation/fleet';
import { recordAudit, type AuditContext } from './audit';
import { moveDrone } from '@/lib/lifecycle/writes';
import { ACTIVE_DELIVERY_STATUSES, sqlList } from '@/db/schema';

/** Issues (or re-issues, revoking the old) a device's key; the audit row records the fact, never the key. */
export async function issueDeviceKeyAsAdmin(
  db: Db,
  ctx: AuditContext,
  { kind, id }: { kind: DeviceKind; id: string },
): Promise<string> {
  const table = kind === 'drone' ? drones : parcelAutomats;
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ id: table.id, hadKey: table.apiKeyHash })
      .from(table)
      .where(eq(table.id, id))
      .for('update');
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

export const issueDroneKeyAsAdmin = (db: Db, ctx: AuditContext, droneId: string) =>
  issueDeviceKeyAsAdmin(db, ctx, { kind: 'drone', id: droneId });

/**
 * Puts a drone into maintenance (never while it is on a delivery) or back into service
 * (idle: the worker only assigns it once it reports again).
 */
export async function setDroneMaintenance(
  db: Db,
  ctx: AuditContext,
  { droneId, maintenance }: { droneId: string; maintenance: boolean },
): Promise<{ status: string }> {
  return db.transaction(async (tx) => {
    const [drone] = await tx
      .select({ id: drones.id, status: drones.status })
      .from(drones)
      .where(eq(drones.id, droneId))
      .for('update');
    if (!drone) throw notFound('Drone');
    if (maintenance && drone.status === 'busy')
      throw invalidTransition(
        'This drone is on a delivery. Wait until it drops its parcel, or fail the delivery first.',
      );
    const status = maintenance ? 'maintenance' : drone.status === 'maintenance' ? 'idle' : drone.status;
    if (status !== drone.status)
      await moveDrone(tx, { id: droneId, from: [drone.status], to: status, now: new Date() });
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

const droneSnapshot = (d: { model: string; ipAddress: string; status: string; callSign: string }) => ({
  call_sign: d.callSign,
  model: d.model,
  ip_address: d.ipAddress,
  status: d.status,
});

function callSignTaken(callSign: string, by?: { callSign: string; model: string }) {
  const message = by
    ? `Call sign ${callSign} is already used by another drone (${by.callSign}, ${by.model}). ` +
      'Choose another, or leave it blank for the next free one.'
    : `Call sign ${callSign} is already used by another drone. ` +
      'Choose another, or leave it blank for the next free one.';
  return new AppError('conflict', message, { fields: { call_sign: message } });
}

/** The unique index (case-insensitive) decides a race between two operators: answer it the same way as the check. */
async function withCallSignGuard<T>(callSign: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (constraintName(err) === 'idx_drones_call_sign') throw callSignTaken(callSign ?? 'this');
    throw err;
  }
}

async function assertCallSignFree(tx: Tx, callSign: string, exceptId?: string) {
  const [other] = await tx
    .select({ callSign: drones.callSign, model: drones.model })
    .from(drones)
    .where(and(sql`lower(${drones.callSign}) = lower(${callSign})`, exceptId ? ne(drones.id, exceptId) : undefined));
  if (other) throw callSignTaken(callSign, other);
}

/**
 * The next free automatic call sign (D-01, D-02, ...): the column's own numbering, skipping the
 * ones an operator typed. A few tries at most in practice; the bound only stops a runaway.
 */
async function nextFreeCallSign(tx: Tx): Promise<string> {
  for (let i = 0; i < 1000; i++) {
    const [row] = await tx.execute<{ call_sign: string; taken: boolean }>(sql`
      with n as (
        select regexp_replace('D-0' || nextval('drone_call_sign_seq'), '^D-0([0-9]{2,})$', 'D-\\1') as call_sign
      )
      select n.call_sign,
             exists (select 1 from drones where lower(drones.call_sign) = lower(n.call_sign)) as taken
        from n`);
    if (row && !row.taken) return row.call_sign;
  }
  throw new AppError('conflict', 'No free call sign was found. Type one.', {
    fields: {
      call_sign: 'No free call sign was found. Type one.',
    },
  });
}

/**
 * Registers a drone. It starts "offline": it has never reported, so the worker does not
 * assign it until its first telemetry (with a key issued here) brings it online. Without a
 * typed call sign it gets the next free one.
 */
export async function createDrone(db: Db, ctx: AuditContext, input: DroneInput) {
  return withCallSignGuard(input.call_sign, () =>
    db.transaction(async (tx) => {
      if (input.call_sign) await assertCallSignFree(tx, input.call_sign);
      const callSign = input.call_sign ?? (await nextFreeCallSign(tx));
      const [d] = await tx
        .insert(drones)
        .values({ model: input.model, ipAddress: input.ip_address, callSign, status: 'offline' })
        .returning();
      if (!d) throw new Error('Drone insert returned nothing');
      await recordAudit(tx, ctx, {
        action: 'drone.created',
        resourceType: 'drone',
        resourceId: d.id,
        after: droneSnapshot(d),
      });
      return d;
    }),
  );
}

/** Edits a drone; a blank call sign keeps the one it has. */
export async function updateDrone(db: Db, ctx: AuditContext, { id, input }: { id: string; input: DroneInput }) {
  return withCallSignGuard(input.call_sign, () =>
    db.transaction(async (tx) => {
      const [before] = await tx.select().from(drones).where(eq(drones.id, id)).for('update');
      if (!before) throw notFound('Drone');
      if (input.call_sign) await assertCallSignFree(tx, input.call_sign, id);
      const [after] = await tx
        .update(drones)
        .set({
          model: input.model,
          ipAddress: input.ip_address,
          callSign: input.call_sign ?? before.callSign,
          updatedAt: new Date(),
        })
        .where(eq(drones.id, id))
        .returning();
      if (!after) throw notFound('Drone');
      await recordAudit(tx, ctx, {
        action: 'drone.updated',
        resourceType: 'drone',
        resourceId: id,
        before: droneSnapshot(before),
        after: droneSnapshot(after),
      });
      return after;
    }),
  );
}

/** Counting a drone's readings stops here: the page refreshes, and 1 Hz adds 86,400 a day. */
export const TELEMETRY_COUNT_CAP = 100_000;

/** What deleting a drone takes with it, for the confirmation (telemetry counted up to the cap). */
export async function droneDeletionImpact(db: DbOrTx, id: string) {
  const [row] = await db.execute<{ deliveries: number; active: number; telemetry: number }>(sql`
    select (select count(*)::int from deliveries where drone_id = ${id}) as deliveries,
           (select count(*)::int from deliveries
             where drone_id = ${id} and status in (${sqlList(ACTIVE_DELIVERY_STATUSES)})) as active,
           (select count(*)::int
              from (select 1 from drone_telemetry where drone_id = ${id} limit ${TELEMETRY_COUNT_CAP + 1}) capped
           ) as telemetry`);
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
    if (impact.activeDeliveries > 0 || d.status === 'busy')
      throw invalidTransition(
        'This drone is on a delivery. Wait until it is done, or cancel the order from the orders console, ' +
          'before deleting it.',
      );
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
