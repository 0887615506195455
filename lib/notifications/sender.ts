import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { notifications, userDevices, type PushStatus } from '@/db/schema';
import { buildMulticastMessage, pushExpiresAt, type PushChannel, type PushNotification, type PushResult } from './fcm';

// Delivers the push channel of the notification outbox (lib/notifications/outbox.ts).
//
// Each notification goes through two short transactions with the FCM call between them:
//   1. claim: select ... where push_status = 'pending' and push_next_attempt_at <= now
//      order by push_next_attempt_at limit 1 for update skip locked; count the attempt
//      (push_attempts + 1) and move push_next_attempt_at to a lease (now + that attempt's
//      backoff, never less than the send timeout plus a margin); commit.
//   2. send to FCM, holding no lock and no connection;
//   3. settle: write the result (sent, retry at now + backoff, failed, skipped), but only if
//      the row is still the one this sender claimed (same attempt count, still pending).
// Other senders skip the row while it is locked and ignore it while the lease runs, so a row is
// never sent by two at once. The attempt is counted before the send: a row whose send crashes
// the process (or is SIGKILLed, or hangs it) is retried when its lease ends, like any transient
// failure, and after backoff.maxAttempts attempts it is marked 'failed' without another send
// instead of being retried forever. The only possible duplicate is the message in flight at a
// crash (at most one per send loop): FCM may have accepted it before the result was written.
// It is resent with the same android tag, apns-collapse-id and web tag (see pushTag), so the
// device replaces the first copy instead of showing it twice. The same holds for a send that
// timed out here yet reached FCM.
//
// Pushes expire (PUSH_TTL_MS per kind in messages.ts): FCM is told when, and a row past its
// expiry is settled as 'skipped' ("expired before it could be sent") instead of being sent
// late, e.g. after an outage; the in-app centre still shows it.
//
// Without a channel (no FIREBASE_SERVICE_ACCOUNT) rows are settled as 'skipped' with
// push_last_error 'push disabled' rather than left pending forever: the in-app centre (the row
// itself) still shows them, and turning push on later does not flood phones with stale news.
// Every worker must therefore be configured alike: a worker without credentials skips rows
// that one with credentials would have sent.

export type Backoff = { baseMs: number; capMs: number; maxAttempts: number };

/** Retry n waits min(base * 2^(n-1), cap): 30 s, 1 m, 2 m, ... 32 m, then 1 h; the 10th failure is final. */
export const PUSH_BACKOFF: Backoff = { baseMs: 30_000, capMs: 60 * 60_000, maxAttempts: 10 };
/** FCM accepts at most 500 tokens per multicast; the most recently refreshed devices go first. */
export const MAX_TOKENS_PER_SEND = 500;
/** A send (and so a graceful stop) waits at most this long; within the launcher's 20 s stop grace. */
export const SEND_TIMEOUT_MS = 10_000;
/** A claimed row is left alone this long at least (a send times out first, then is written). */
export const LEASE_MARGIN_MS = 5_000;
export const PUSH_DISABLED = 'push disabled';
export const NO_DEVICE_TOKENS = 'no device tokens';
export const PUSH_EXPIRED = 'expired before it could be sent';

const INVALID_ARGUMENT = 'messaging/invalid-argument';

/** The token is gone for good: delete it from user_devices. */
const DEAD_TOKEN_CODES = new Set([
  'messaging/registration-token-not-registered',
  'messaging/invalid-registration-token',
  // Per token, FCM answers INVALID_ARGUMENT for a malformed token, but also for a message it
  // rejects; see INVALID_ARGUMENT below for when it counts as a dead token.
  INVALID_ARGUMENT,
]);

/** Worth another try later. Anything thrown by the send itself (network, timeout, auth) is too. */
const TRANSIENT_CODES = new Set([
  'messaging/internal-error',
  'messaging/server-unavailable',
  'messaging/unavailable',
  'messaging/unknown-error',
  'messaging/quota-exceeded',
  'messaging/message-rate-exceeded',
  'messaging/device-message-rate-exceeded',
  'app/network-error',
  'app/network-timeout',
]);

export type SendOptions = {
  /** The clock (tests fix it). Default: the database's now() for "due", the process clock for times written. */
  now?: Date;
  backoff?: Backoff;
  /** A send that takes longer counts as a transient failure (default SEND_TIMEOUT_MS). */
  sendTimeoutMs?: number;
};

export type SendOutcome =
  | { kind: 'idle' }
  | { kind: 'sent'; id: string; devices: number; delivered: number; pruned: number; error: string | null }
  | { kind: 'retry'; id: string; attempts: number; nextAttemptAt: Date; error: string; pruned: number }
  | { kind: 'failed'; id: string; attempts: number; error: string; pruned: number }
  | { kind: 'skipped'; id: string; reason: string; pruned: number };

/** The wait before retry number `attempts` (1-based): min(base * 2^(attempts-1), cap). */
export function retryDelayMs(attempts: number, backoff: Backoff = PUSH_BACKOFF): number {
  return Math.min(backoff.baseMs * 2 ** (attempts - 1), backoff.capMs);
}

const clip = (s: string) => (s.length > 1000 ? `${s.slice(0, 997)}...` : s);

function describeThrown(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as Error & { code?: unknown }).code;
    return clip(typeof code === 'string' ? `${code}: ${err.message}` : err.message);
  }
  return clip(String(err));
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`FCM send timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** "2 of 3 devices failed: messaging/internal-error (2): <first message>", codes in alphabetical order. */
function summarise(failures: { code: string; message: string }[], devices: number): string {
  const byCode = new Map<string, { n: number; message: string }>();
  for (const f of failures) {
    const seen = byCode.get(f.code);
    if (seen) seen.n++;
    else byCode.set(f.code, { n: 1, message: f.message });
  }
  const parts = [...byCode]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, { n, message }]) => `${code} (${n}): ${message}`);
  return clip(`${failures.length} of ${devices} devices failed: ${parts.join('; ')}`);
}

type Claimed = {
  kind: 'claimed';
  n: PushNotification & { userId: string };
  channel: PushChannel;
  tokens: string[];
  attempts: number;
  now: Date;
};

/** Why a row was given up without a send: its previous attempt never reported back. */
export function abandonedError(attempts: number): string {
  const cause = 'the last send never finished (the sender crashed or was stopped mid-send)';
  return `gave up after ${attempts} attempts: ${cause}`;
}

/**
 * Claims the next due pending notification and counts the attempt (committed), then sends it
 * and settles the result: 'sent' when at least one device accepted it; dead tokens deleted;
 * transient failures (and sends that never finished) retried with capped exponential backoff
 * until maxAttempts, then 'failed'; other per-token errors 'failed' at once; 'skipped' without
 * a channel, without tokens, when every token was dead, or when the push expired unsent.
 */
export async function sendNextNotification(
  db: Db,
  channel: PushChannel | null,
  opts: SendOptions = {},
): Promise<SendOutcome> {
  const backoff = opts.backoff ?? PUSH_BACKOFF;
  const sendTimeoutMs = opts.sendTimeoutMs ?? SEND_TIMEOUT_MS;
  const claim = await db.transaction(async (tx): Promise<SendOutcome | Claimed> => {
    const [n] = await tx
      .select({
        id: notifications.id,
        userId: notifications.userId,
        orderId: notifications.orderId,
        kind: notifications.kind,
        title: notifications.title,
        body: notifications.body,
        data: notifications.data,
        createdAt: notifications.createdAt,
        pushAttempts: notifications.pushAttempts,
      })
      .from(notifications)
      .where(and(eq(notifications.pushStatus, 'pending'), lte(notifications.pushNextAttemptAt, opts.now ?? sql`now()`)))
      .orderBy(asc(notifications.pushNextAttemptAt))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!n) return { kind: 'idle' };
    const now = opts.now ?? new Date();
    const settle = (set: {
      pushStatus: PushStatus;
      pushAttempts?: number;
      pushNextAttemptAt?: Date;
      pushLastError?: string | null;
    }) => tx.update(notifications).set(set).where(eq(notifications.id, n.id));

    if (!channel) {
      await settle({ pushStatus: 'skipped', pushLastError: PUSH_DISABLED });
      return { kind: 'skipped', id: n.id, reason: PUSH_DISABLED, pruned: 0 };
    }
    if (now.getTime() >= pushExpiresAt(n).getTime()) {
      await settle({ pushStatus: 'skipped', pushLastError: PUSH_EXPIRED });
      return { kind: 'skipped', id: n.id, reason: PUSH_EXPIRED, pruned: 0 };
    }
    const devices = await tx
      .select({ token: userDevices.token })
      .from(userDevices)
      .where(eq(userDevices.userId, n.userId))
      .orderBy(desc(userDevices.updatedAt), asc(userDevices.id))
      .limit(MAX_TOKENS_PER_SEND);
    if (!devices.length) {
      await settle({ pushStatus: 'skipped', pushLastError: NO_DEVICE_TOKENS });
      return { kind: 'skipped', id: n.id, reason: NO_DEVICE_TOKENS, pruned: 0 };
    }
    // Every attempt so far was counted before its send; a row that reaches the limit here had
    // its last send die before reporting (a result would have settled it).
    if (n.pushAttempts >= backoff.maxAttempts) {
      const error = abandonedError(n.pushAttempts);
      await settle({ pushStatus: 'failed', pushLastError: error });
      return { kind: 'failed', id: n.id, attempts: n.pushAttempts, error, pruned: 0 };
    }
    const attempts = n.pushAttempts + 1;
    const leaseMs = Math.max(retryDelayMs(attempts, backoff), sendTimeoutMs + LEASE_MARGIN_MS);
    await settle({
      pushStatus: 'pending',
      pushAttempts: attempts,
      pushNextAttemptAt: new Date(now.getTime() + leaseMs),
    });
    return { kind: 'claimed', n, channel, tokens: devices.map((d) => d.token), attempts, now };
  });
  if (claim.kind !== 'claimed') return claim;

  const { n, tokens, attempts, now } = claim;
  let result: PushResult | undefined;
  let thrown: string | undefined;
  try {
    // Building is inside the try too: a row that cannot be sent must not block the queue.
    result = await withTimeout(claim.channel.send(buildMulticastMessage(n, tokens, now)), sendTimeoutMs);
  } catch (err) {
    thrown = describeThrown(err);
  }

  return db.transaction(async (tx): Promise<SendOutcome> => {
    // Only the claim this sender made: same attempt, still pending (a later claim wins).
    const settle = (set: {
      pushStatus: PushStatus;
      pushNextAttemptAt?: Date;
      pushLastError: string | null;
      pushSentAt?: Date;
    }) =>
      tx
        .update(notifications)
        .set(set)
        .where(
          and(
            eq(notifications.id, n.id),
            eq(notifications.pushStatus, 'pending'),
            eq(notifications.pushAttempts, attempts),
          ),
        );
    const retryOrFail = async (error: string, pruned: number): Promise<SendOutcome> => {
      if (attempts >= backoff.maxAttempts) {
        await settle({ pushStatus: 'failed', pushNextAttemptAt: now, pushLastError: error });
        return { kind: 'failed', id: n.id, attempts, error, pruned };
      }
      const nextAttemptAt = new Date(now.getTime() + retryDelayMs(attempts, backoff));
      await settle({ pushStatus: 'pending', pushNextAttemptAt: nextAttemptAt, pushLastError: error });
      return { kind: 'retry', id: n.id, attempts, nextAttemptAt, error, pruned };
    };
    if (!result) return retryOrFail(thrown ?? 'FCM send failed', 0);

    let delivered = 0;
    const dead: string[] = [];
    const failures: { code: string; message: string }[] = [];
    let transient = false;
    tokens.forEach((token, i) => {
      const r = result.responses[i];
      if (r?.success) {
        delivered++;
        return;
      }
      const error = r?.error ?? { code: 'messaging/unknown-error', message: 'no response for this token' };
      failures.push(error);
      if (DEAD_TOKEN_CODES.has(error.code)) dead.push(token);
      else if (TRANSIENT_CODES.has(error.code) || !r) transient = true;
    });
    // INVALID_ARGUMENT for every token says the message was refused, not the tokens: keep
    // them (the row fails below) rather than wipe a user's good devices over a payload fault.
    if (failures.length === tokens.length && failures.every((f) => f.code === INVALID_ARGUMENT)) dead.length = 0;
    if (dead.length) {
      await tx.delete(userDevices).where(and(eq(userDevices.userId, n.userId), inArray(userDevices.token, dead)));
    }
    const error = failures.length ? summarise(failures, tokens.length) : null;

    if (delivered > 0) {
      // Devices that failed transiently miss this one; the others have it.
      await settle({ pushStatus: 'sent', pushNextAttemptAt: now, pushSentAt: now, pushLastError: error });
      return { kind: 'sent', id: n.id, devices: tokens.length, delivered, pruned: dead.length, error };
    }
    if (error === null) throw new Error('FCM reported neither a success nor an error');
    if (transient) return retryOrFail(error, dead.length);
    if (dead.length === tokens.length) {
      const reason = `no valid device tokens (${dead.length} pruned)`;
      await settle({ pushStatus: 'skipped', pushNextAttemptAt: now, pushLastError: reason });
      return { kind: 'skipped', id: n.id, reason, pruned: dead.length };
    }
    // Permanent per-device errors (wrong sender, missing APNs credentials): retrying cannot help.
    await settle({ pushStatus: 'failed', pushNextAttemptAt: now, pushLastError: error });
    return { kind: 'failed', id: n.id, attempts, error, pruned: dead.length };
  });
}

export type DrainCounts = { sent: number; retried: number; failed: number; skipped: number };
export type Settled = Exclude<SendOutcome, { kind: 'idle' }>;

/**
 * Sends due notifications with `concurrency` loops in parallel (each a sendNextNotification
 * at a time, one connection each) until none is due, `max` rows were taken, or shouldStop().
 * onOutcome is called after each row's transaction has committed.
 */
export async function drainNotifications(
  db: Db,
  channel: PushChannel | null,
  opts: SendOptions & {
    concurrency: number;
    max?: number;
    shouldStop?: () => boolean;
    onOutcome?: (o: Settled) => void;
  },
): Promise<DrainCounts> {
  const counts: DrainCounts = { sent: 0, retried: 0, failed: 0, skipped: 0 };
  let taken = 0;
  let idle = false;
  const loop = async () => {
    while (!idle && !opts.shouldStop?.() && (opts.max === undefined || taken < opts.max)) {
      taken++;
      let o: SendOutcome;
      try {
        o = await sendNextNotification(db, channel, opts);
      } catch (err) {
        idle = true; // the database is failing: let the other loops stop too
        throw err;
      }
      if (o.kind === 'idle') {
        idle = true;
        return;
      }
      counts[o.kind === 'retry' ? 'retried' : o.kind]++;
      opts.onOutcome?.(o);
    }
  };
  // Wait for every loop even when one fails, so no send outlives the drain.
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, opts.concurrency) }, loop));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return counts;
}
