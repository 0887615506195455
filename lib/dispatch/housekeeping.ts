import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '@/db';
import { deliveries, drones } from '@/db/schema';
import { failDelivery } from './lifecycle';

// Periodic care in the worker loop. Each drone or delivery is handled in its own short
// transaction, claimed with FOR UPDATE SKIP LOCKED, so several workers can share the work.

/**
 * Drones silent past the timeout become offline; an active delivery of such a drone fails
 * with "drone offline" and its order is requeued for another drone.
 */
export async function markSilentDronesOffline(db: Db, { offlineAfterMs, now = new Date(), limit = 100 }: { offlineAfterMs: number; now?: Date; limit?: number }): Promise<string[]> {
  const cutoff = new Date(now.getTime() - offlineAfterMs);
  const silent = await db
    .select({ id: drones.id })
    .from(drones)
    .where(and(inArray(drones.status, ['idle', 'busy', 'charging']), or(isNull(drones.lastSeenAt), lt(drones.lastSeenAt, cutoff))))
    .limit(limit);
  const marked: string[] = [];
  for (const { id } of silent) {
    const done = await db.transaction(async (tx) => {
      const [drone] = await tx
        .select({ id: drones.id })
        .from(drones)
        .where(and(eq(drones.id, id), inArray(drones.status, ['idle', 'busy', 'charging']), or(isNull(drones.lastSeenAt), lt(drones.lastSeenAt, cutoff))))
        .for('update', { skipLocked: true });
      if (!drone) return false; // reported meanwhile, or another worker has it
      await tx.update(drones).set({ status: 'offline', updatedAt: now }).where(eq(drones.id, id));
      const active = await tx
        .select()
        .from(deliveries)
        .where(and(eq(deliveries.droneId, id), inArray(deliveries.status, ['assigned', 'in_progress'])))
        .for('update');
      for (const delivery of active) {
        await failDelivery(tx, delivery, 'drone offline', { type: 'worker' }, now, { droneStatus: 'offline' });
      }
      return true;
    });
    if (done) marked.push(id);
  }
  return marked;
}

/** Deliveries assigned but not started within the timeout are failed and their orders requeued. */
export async function requeueStuckAssignments(db: Db, { assignedTimeoutMs, now = new Date(), limit = 100 }: { assignedTimeoutMs: number; now?: Date; limit?: number }): Promise<string[]> {
  const cutoff = new Date(now.getTime() - assignedTimeoutMs);
  const stuck = await db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.status, 'assigned'), lt(deliveries.updatedAt, cutoff)))
    .limit(limit);
  const requeued: string[] = [];
  for (const { id } of stuck) {
    const done = await db.transaction(async (tx) => {
      const [delivery] = await tx
        .select()
        .from(deliveries)
        .where(and(eq(deliveries.id, id), eq(deliveries.status, 'assigned'), lt(deliveries.updatedAt, cutoff)))
        .for('update', { skipLocked: true });
      if (!delivery) return false;
      const minutes = Math.round(assignedTimeoutMs / 60_000);
      await failDelivery(tx, delivery, `not started within ${minutes} min of assignment`, { type: 'worker' }, now);
      return true;
    });
    if (done) requeued.push(id);
  }
  return requeued;
}
