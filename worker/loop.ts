import { createDb, createSql } from '@/db';
import { assignPendingOrders, type AssignOptions } from '@/lib/dispatch/delivery-flow';
import { markSilentDronesOffline, requeueStuckAssignments, vacuumDrones } from '@/lib/dispatch/housekeeping';
import { DISPATCH_CHANNEL } from '@/lib/dispatch/notify';
import { maintainTelemetryPartitions } from '@/lib/telemetry-history/partitions';
import { queuePickupReminders } from '@/lib/notifications/reminders';
import { pruneRateLimits } from '@/lib/rate-limit';
import type { Logger } from '@/lib/logger';
import { startWakeableLoop, type RunningLoop } from './wakeable-loop';

export type WorkerOptions = AssignOptions & {
  databaseUrl: string;
  /** For the LISTEN connection: PostgreSQL itself, not a pooler (DATABASE_DIRECT_URL). Default: databaseUrl. */
  directUrl?: string;
  /** Named prepared statements on databaseUrl; off behind a transaction pooler (DATABASE_PREPARE). Default: on. */
  prepare?: boolean;
  log: Logger;
  /** The periodic sweep that covers lost notifications (ms). */
  sweepMs: number;
  assignedTimeoutMs: number;
  /** Days of drone_telemetry kept; older day partitions are dropped. */
  telemetryRetentionDays: number;
};

export type RunningWorker = RunningLoop;

/** Assignments per round at most, between two rounds of housekeeping. */
const ASSIGN_PER_ROUND = 1000;
/** Assignments between two vacuums of drones (see vacuumDrones). */
const VACUUM_DRONES_EVERY = 500;

/**
 * The order worker: wakes on LISTEN/NOTIFY (order created, drone idle, cell freed) and on a
 * periodic sweep; each round does housekeeping, then assigns pending orders in short claim
 * transactions. stop() lets the current transaction finish and then returns.
 */
export function startWorker(opts: WorkerOptions): RunningWorker {
  const { log } = opts;
  const sql = createSql(opts.databaseUrl, 3, { prepare: opts.prepare });
  const db = createDb(sql);
  let prunedAt = 0;
  let remindedAt = 0;
  let partitionedAt = 0;
  let assignedSinceVacuum = 0;

  const round = async (isStopping: () => boolean) => {
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
      // Reminders never hold up dispatch: a failure is logged and retried next minute.
      remindedAt = now.getTime();
      try {
        const r = await queuePickupReminders(db, { now });
        if (r.reminders || r.codeWarnings) log.info('Queued pickup reminders', r);
      } catch (err) {
        log.error('Queueing pickup reminders failed; will retry', { err });
      }
    }
    // Telemetry day partitions: at start, then every 10 minutes (days are long). A failure
    // (e.g. a lock timeout behind a long reader) never holds up dispatch; readings still land
    // in the default partition meanwhile.
    if (now.getTime() - partitionedAt > 10 * 60_000) {
      partitionedAt = now.getTime();
      try {
        const p = await maintainTelemetryPartitions(db, { retentionDays: opts.telemetryRetentionDays, now });
        if (p.created.length || p.dropped.length || p.movedFromDefault || p.purgedFromDefault)
          log.info('Telemetry partitions maintained', p);
      } catch (err) {
        log.error('Telemetry partition housekeeping failed; will retry', { err });
      }
    }
    // Logged as each claim commits, so a killed worker leaves no unlogged assignment behind.
    // A backlog is worked off in this round (batches of CLAIM_BATCH per transaction) rather than
    // 100 per wake-up: assignments notify the sender, not the dispatch channel, so nothing else
    // would wake us before the next sweep. Housekeeping still comes round every ASSIGN_PER_ROUND.
    await assignPendingOrders(db, {
      minBattery: opts.minBattery,
      offlineAfterMs: opts.offlineAfterMs,
      max: ASSIGN_PER_ROUND,
      shouldStop: isStopping,
      onOutcome: (o) => {
        if (o.kind === 'assigned') {
          assignedSinceVacuum++;
          log.info('Assigned order', {
            order: o.orderId,
            delivery: o.deliveryId,
            drone: o.droneId,
            distance_m: o.distanceM,
          });
        } else if (o.kind === 'skipped') log.debug('Order waits', { order: o.orderId, reason: o.reason });
      },
      afterBatch: async () => {
        if (assignedSinceVacuum < VACUUM_DRONES_EVERY) return;
        assignedSinceVacuum = 0;
        // Never holds up dispatch: a failure is logged, and autovacuum still comes round.
        try {
          await vacuumDrones(db);
        } catch (err) {
          log.error('Vacuum of drones failed; will retry', { err });
        }
      },
    });
  };

  return startWakeableLoop({
    name: 'Order worker',
    applicationName: 'skypost-worker-listen',
    listenUrl: opts.directUrl ?? opts.databaseUrl,
    channel: DISPATCH_CHANNEL,
    sweepMs: opts.sweepMs,
    log,
    started: { min_battery: opts.minBattery },
    close: () => sql.end({ timeout: 5 }),
    round,
  });
}
