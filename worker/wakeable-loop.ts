import postgres from 'postgres';
import type { Logger } from '@/lib/logger';

export type RunningLoop = { stop(): Promise<void>; done: Promise<void>; wake(): void };

/**
 * A worker loop that runs `round` at once, then whenever a NOTIFY arrives on `channel`, and
 * at least every `sweepMs` (covering lost notifications); after a failed round it backs off
 * (doubling, capped at 30 s). stop() lets the current round finish, then closes the listener
 * and calls `close`.
 */
export function startWakeableLoop(opts: {
  name: string;
  /** How the LISTEN connection shows in pg_stat_activity. */
  applicationName: string;
  /**
   * The URL the LISTEN connection uses: PostgreSQL itself (DATABASE_DIRECT_URL), never a
   * transaction pooler, which hands the session to others between statements and so loses both
   * the LISTEN and its notifications.
   */
  listenUrl: string;
  channel: string;
  sweepMs: number;
  log: Logger;
  round: (isStopping: () => boolean) => Promise<void>;
  started?: Record<string, unknown>;
  close: () => Promise<void>;
}): RunningLoop {
  const { log } = opts;
  const listener = postgres(opts.listenUrl, {
    max: 1,
    onnotice: () => {},
    connection: { application_name: opts.applicationName },
  });
  let stopping = false;
  let pending = true; // a first round at once
  let wakeUp: (() => void) | null = null;
  const isStopping = () => stopping;

  const wake = () => {
    pending = true;
    wakeUp?.();
  };

  // postgres.js re-LISTENs once when the listening connection closes; if the database is still
  // down at that moment the LISTEN is dropped for good. So the LISTEN is renewed after a failed
  // round (the database was away), when it is missing, and every minute; each renewal is
  // followed by a round, covering notifications sent while nobody listened.
  let listening: { unlisten(): Promise<void> } | null = null;
  let listenedAt = 0;
  let renewAfterFailure = false;
  const relisten = async (): Promise<boolean> => {
    try {
      await listening?.unlisten().catch(() => {});
      listening = await listener.listen(opts.channel, wake);
      listenedAt = Date.now();
      renewAfterFailure = false;
      pending = true;
      return true;
    } catch (err) {
      listening = null;
      log.warn(`${opts.name}: could not LISTEN; relying on the periodic sweep until it works again`, {
        err,
        channel: opts.channel,
      });
      return false;
    }
  };

  const done = (async () => {
    await relisten();
    log.info(`${opts.name} started`, { sweep_ms: opts.sweepMs, ...opts.started });
    let failures = 0;
    while (!stopping) {
      if (pending) {
        pending = false;
        try {
          await opts.round(isStopping);
          failures = 0;
        } catch (err) {
          failures++;
          renewAfterFailure = true;
          log.error(`${opts.name} round failed; will retry`, { err, failures });
        }
      }
      if (!stopping && failures === 0 && (!listening || renewAfterFailure || Date.now() - listenedAt > 60_000))
        await relisten();
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
    await opts.close().catch(() => {});
    log.info(`${opts.name} stopped`);
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
