import postgres from 'postgres';
import { createDb, createSql } from '@/db';
import { assignPendingOrders, type AssignOptions } from '@/lib/dispatch/lifecycle';
import { markSilentDronesOffline, requeueStuckAssignments } from '@/lib/dispatch/housekeeping';
import { DISPATCH_CHANNEL } from '@/lib/dispatch/notify';
import { queuePickupReminders } from '@/lib/notifications/reminders';
import { pruneRateLimits } from '@/lib/rate-limit';
import type { Logger } from '@/lib/logger';

export type WorkerOptions = AssignOptions & {
  databaseUrl: string;
  log: Logger;
  /** The periodic sweep that covers lost notifications (ms). */
  sweepMs: number;
  assignedTimeoutMs: number;
};

export type RunningWorker = { stop(): Promise<void>; done: Promise<void>; wake(): void };

/**
 * The order worker: wakes on LISTEN/NOTIFY (order created, drone idle, cell freed) and on a
 * periodic sweep; each round does housekeeping, then assigns pending orders in short claim
 * transactions. stop() lets the current transaction finish and then returns.
 */
export function startWorker(opts: WorkerOptions): RunningWorker {
  const { log } = opts;
  const sql = createSql(opts.databaseUrl, 3);
  const db = createDb(sql);
  const listener = postgres(opts.databaseUrl, { max: 1, onnotice: () => {}, connection: { application_name: 'skypost-worker-listen' } });
  let stopping = false;
  let pending = true; // run a first round at once
  let wakeUp: (() => void) | null = null;
  let prunedAt = 0;
  let remindedAt = 0;

  const wake = () => {
    pending = true;
    wakeUp?.();
  };

  const round = async () => {
    const now = new Date();
    const offline = await markSilentDronesOffline(db, { offlineAfterMs: opts.offlineAfterMs, now });
    if (offline.length) log.warn('Drones went offline (silent past the timeout)', { drones: offline });
    const stuck = await requeueStuckAssignments(db, { assignedTimeoutMs: opts.assignedTimeoutMs, now });
    if (stuck.length) log.warn('Requeued deliveries stuck in assigned', { deliveries: stuck });
    // Old rate-limit windows are useless after a day; clear them now and then. Pickup
    // reminders need minute precision at most.
    if (now.getTime() - prunedAt > 10 * 60_000) {
      await pruneRateLimits(db, now);
      prunedAt = now.getTime();
    }
    if (now.getTime() - remindedAt > 60_000) {
      const r = await queuePickupReminders(db, { now });
      if (r.reminders || r.codeWarnings) log.info('Queued pickup reminders', r);
      remindedAt = now.getTime();
    }
    // Logged as each claim commits, so a killed worker leaves no unlogged assignment behind.
    await assignPendingOrders(db, {
      minBattery: opts.minBattery,
      offlineAfterMs: opts.offlineAfterMs,
      onOutcome: (o) => {
        if (o.kind === 'assigned') log.info('Assigned order', { order: o.orderId, delivery: o.deliveryId, drone: o.droneId, distance_m: o.distanceM });
        else if (o.kind === 'skipped') log.debug('Order waits', { order: o.orderId, reason: o.reason });
      },
    });
  };

  const done = (async () => {
    try {
      await listener.listen(DISPATCH_CHANNEL, wake);
    } catch (err) {
      log.error('Could not LISTEN for dispatch notifications; relying on the periodic sweep', { err });
    }
    log.info('Order worker started', { sweep_ms: opts.sweepMs, min_battery: opts.minBattery });
    let failures = 0;
    while (!stopping) {
      if (pending) {
        pending = false;
        try {
          await round();
          failures = 0;
        } catch (err) {
          failures++;
          log.error('Worker round failed; will retry', { err, failures });
        }
      }
      if (stopping) break;
      // Sleep until a notification, the sweep interval, or stop(); back off after failures.
      const delay = failures ? Math.min(opts.sweepMs * 2 ** failures, 30_000) : opts.sweepMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          pending = true;
          resolve();
        }, delay);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
        if (pending || stopping) wakeUp();
      });
      wakeUp = null;
    }
    await listener.end({ timeout: 5 }).catch(() => {});
    await sql.end({ timeout: 5 }).catch(() => {});
    log.info('Order worker stopped');
  })();

  return {
    wake,
    done,
    async stop() {
      stopping = true;
      wakeUp?.();
      await done;
    },
  };
}
