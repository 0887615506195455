// npm run worker — one order worker process (the launcher runs WORKERS of them), with its push notification sender.
// SIGTERM: finish the round, exit.
import './lib/dotenv';
import { env } from '@/env';
import { logger } from '@/lib/logger';
import { createFcmChannel } from '@/lib/notifications/fcm';
import { startWorker } from '@/worker/loop';
import { startNotificationSender } from '@/worker/notifications';
import { openDatabase } from './lib/database';
import { onStopRequest } from './lib/supervised';

const log = logger.child({ scope: `worker:${process.pid}` });
const e = env();
const push = e.FIREBASE_SERVICE_ACCOUNT ? createFcmChannel(e.FIREBASE_SERVICE_ACCOUNT) : null;
if (!push) {
  log.info(
    'Push notifications are off (FIREBASE_SERVICE_ACCOUNT is not set): ' +
      'notifications still reach the in-app centre, and their push status is set to skipped',
  );
}
let stopRequested: string | null = null;
let stopNow: (reason: string) => void = (reason) => {
  stopRequested = reason;
};
// Registered first: a stop request may come while the database is still being opened.
onStopRequest((reason) => stopNow(reason));
const database = await openDatabase(log);
const worker = startWorker({
  databaseUrl: database.url,
  directUrl: database.directUrl,
  prepare: database.prepare,
  log,
  sweepMs: e.WORKER_SWEEP_MS,
  minBattery: e.DISPATCH_MIN_BATTERY,
  offlineAfterMs: e.DRONE_OFFLINE_TIMEOUT_S * 1000,
  assignedTimeoutMs: e.DISPATCH_ASSIGNED_TIMEOUT_S * 1000,
  telemetryRetentionDays: e.TELEMETRY_RETENTION_DAYS,
});

const sender = startNotificationSender({
  databaseUrl: database.url,
  directUrl: database.directUrl,
  prepare: database.prepare,
  log: log.child({ scope: `notify:${process.pid}` }),
  channel: push,
  sweepMs: e.WORKER_SWEEP_MS,
  concurrency: e.NOTIFY_CONCURRENCY,
});

stopNow = (reason) => {
  log.info(`${reason.charAt(0).toUpperCase()}${reason.slice(1)}; finishing the current round`);
  void Promise.all([worker.stop(), sender.stop()]).then(async () => {
    await database.stop();
    process.exit(0);
  });
};
if (stopRequested) stopNow(stopRequested);
await Promise.all([worker.done, sender.done]);
