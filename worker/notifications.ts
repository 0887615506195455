import { createDb, createSql } from '@/db';
import type { PushChannel } from '@/lib/notifications/fcm';
import { NOTIFICATIONS_CHANNEL } from '@/lib/notifications/outbox';
import { drainNotifications, type Backoff } from '@/lib/notifications/sender';
import type { Logger } from '@/lib/logger';
import { startWakeableLoop, type RunningLoop } from './wakeable-loop';

export type NotificationSenderOptions = {
  databaseUrl: string;
  /** For the LISTEN connection: PostgreSQL itself, not a pooler (DATABASE_DIRECT_URL). Default: databaseUrl. */
  directUrl?: string;
  /** Named prepared statements on databaseUrl; off behind a transaction pooler (DATABASE_PREPARE). Default: on. */
  prepare?: boolean;
  log: Logger;
  /** null: push is off; due rows are settled as skipped ('push disabled'). */
  channel: PushChannel | null;
  /** The periodic sweep that covers lost notifications and retries coming due (ms). */
  sweepMs: number;
  /** Parallel send loops, each with its own connection and one row in flight. */
  concurrency: number;
  backoff?: Backoff;
};

export type RunningSender = RunningLoop;

/**
 * The push sender of the worker process: wakes on LISTEN (a notification committed) and on a
 * periodic sweep (retries that came due, lost wake-ups); each round drains the due rows with
 * `concurrency` send loops (lib/notifications/sender.ts explains the crash safety). stop() lets
 * the sends in flight finish and commit, then returns.
 */
export function startNotificationSender(opts: NotificationSenderOptions): RunningSender {
  const { log } = opts;
  const sql = createSql(opts.databaseUrl, opts.concurrency, { prepare: opts.prepare });
  const db = createDb(sql);
  return startWakeableLoop({
    name: 'Notification sender',
    applicationName: 'skypost-notify-listen',
    listenUrl: opts.directUrl ?? opts.databaseUrl,
    channel: NOTIFICATIONS_CHANNEL,
    sweepMs: opts.sweepMs,
    log,
    started: { push: opts.channel ? 'fcm' : 'off', concurrency: opts.concurrency },
    close: () => sql.end({ timeout: 5 }),
    round: (isStopping) =>
      drainNotifications(db, opts.channel, {
        concurrency: opts.concurrency,
        backoff: opts.backoff,
        shouldStop: isStopping,
        onOutcome: (o) => {
          if (o.pruned)
            log.info('Removed device tokens FCM no longer accepts', { notification: o.id, pruned: o.pruned });
          if (o.kind === 'sent')
            log.debug('Push sent', { notification: o.id, devices: o.devices, delivered: o.delivered });
          else if (o.kind === 'skipped') log.debug('Push skipped', { notification: o.id, reason: o.reason });
          else if (o.kind === 'retry')
            log.warn('Push failed; will retry', {
              notification: o.id,
              attempts: o.attempts,
              next_attempt_at: o.nextAttemptAt.toISOString(),
              error: o.error,
            });
          else log.error('Push failed for good', { notification: o.id, attempts: o.attempts, error: o.error });
        },
      }).then(() => undefined),
  });
}
