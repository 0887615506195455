import postgres from 'postgres';
import { createDb, createSql } from '@/db';
import type { PushChannel } from '@/lib/notifications/fcm';
import { NOTIFICATIONS_CHANNEL } from '@/lib/notifications/outbox';
import { drainNotifications, type Backoff } from '@/lib/notifications/sender';
import type { Logger } from '@/lib/logger';

export type NotificationSenderOptions = {
  databaseUrl: string;
  log: Logger;
  /** null: push is off; due rows are settled as skipped ('push disabled'). */
  channel: PushChannel | null;
  /** The periodic sweep that covers lost notifications and retries coming due (ms). */
  sweepMs: number;
  /** Parallel send loops, each with its own connection and one row in flight. */
  concurrency: number;
  backoff?: Backoff;
};

export type RunningSender = { stop(): Promise<void>; done: Promise<void>; wake(): void };

/**
 * The push sender of the worker process: wakes on LISTEN (a notification committed) and on a
 * periodic sweep (retries that came due, lost wake-ups); each round drains the due rows with
 * `concurrency` send loops (lib/notifications/sender.ts explains the crash safety). stop() lets
 * the sends in flight finish and commit, then returns.
 */
export function startNotificationSender(opts: NotificationSenderOptions): RunningSender {
  const { log } = opts;
  const sql = createSql(opts.databaseUrl, opts.concurrency);
  const db = createDb(sql);
  const listener = postgres(opts.databaseUrl, { max: 1, onnotice: () => {}, connection: { application_name: 'skypost-notify-listen' } });
  let stopping = false;
  let pending = true; // a first round at once: rows may have been committed while no worker ran
  let wakeUp: (() => void) | null = null;

  const wake = () => {
    pending = true;
    wakeUp?.();
  };

  const round = () =>
    drainNotifications(db, opts.channel, {
      concurrency: opts.concurrency,
      backoff: opts.backoff,
      shouldStop: () => stopping,
      onOutcome: (o) => {
        if (o.pruned) log.info('Removed device tokens FCM no longer accepts', { notification: o.id, pruned: o.pruned });
        if (o.kind === 'sent') log.debug('Push sent', { notification: o.id, devices: o.devices, delivered: o.delivered });
        else if (o.kind === 'skipped') log.debug('Push skipped', { notification: o.id, reason: o.reason });
        else if (o.kind === 'retry') log.warn('Push failed; will retry', { notification: o.id, attempts: o.attempts, next_attempt_at: o.nextAttemptAt.toISOString(), error: o.error });
        else log.error('Push failed for good', { notification: o.id, attempts: o.attempts, error: o.error });
      },
    });

  const done = (async () => {
    try {
      await listener.listen(NOTIFICATIONS_CHANNEL, wake);
    } catch (err) {
      log.error('Could not LISTEN for notifications; relying on the periodic sweep', { err });
    }
    log.info('Notification sender started', { push: opts.channel ? 'fcm' : 'off', sweep_ms: opts.sweepMs, concurrency: opts.concurrency });
    let failures = 0;
    while (!stopping) {
      if (pending) {
        pending = false;
        try {
          await round();
          failures = 0;
        } catch (err) {
          failures++;
          log.error('Notification round failed; will retry', { err, failures });
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
    log.info('Notification sender stopped');
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
