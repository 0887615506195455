import { and, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/db';
import { orders } from '@/db/schema';
import { collectParcels } from '@/lib/dispatch/delivery-flow';
import { AppError } from '@/lib/errors';
import { checkRateLimits, enforceRateLimits, hitRateLimit, type RateLimitRule } from '@/lib/rate-limit';
import { checkPickupToken, issuePickupCode } from './token';

// A pickup QR scanned at a kiosk. The code is spent by a scan that opens cells: the same
// transaction that completes the orders issues the customer a new code, so a photographed
// or copied code cannot open the next parcel. The pickup page shows the new code.

/**
 * Scans per automat. Wrong codes (not ours, altered, expired or superseded) are limited
 * harder: the kiosk is the place to try stolen or guessed codes. Valid codes with nothing
 * waiting are not failures (a customer at the wrong locker). Limits are per automat, so a
 * burst at one kiosk never blocks the others.
 */
export const SCAN_RATE_LIMITS = {
  scansPerAutomatMinute: { bucket: 'scan_automat_1m', limit: 120, windowSeconds: 60 },
  failuresPerAutomat: { bucket: 'scan_fail_automat_10m', limit: 30, windowSeconds: 10 * 60 },
} satisfies Record<string, RateLimitRule>;

const FAILED_SCAN_CODES = new Set(['invalid_qr', 'qr_expired']);
const MESSAGE = 'Too many scans at this locker.';

/** Counts the scan and refuses it (429) while this automat is over a limit. */
async function admitScan(db: DbOrTx, automatId: string, now: Date) {
  await checkRateLimits(db, [{ rule: SCAN_RATE_LIMITS.failuresPerAutomat, key: automatId }], { now, message: MESSAGE });
  await enforceRateLimits(db, [{ rule: SCAN_RATE_LIMITS.scansPerAutomatMinute, key: automatId }], {
    now,
    message: MESSAGE,
  });
}

async function hasParcelsWaiting(db: DbOrTx, userId: string, automatId: string): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(orders)
    .where(and(eq(orders.userId, userId), eq(orders.parcelAutomatId, automatId), eq(orders.status, 'delivered')));
  return (row?.n ?? 0) > 0;
}

/**
 * Verifies the code, opens every parcel of that customer waiting at this automat and rotates
 * the customer's pickup code, all in one transaction. Errors: 403 invalid_qr, 410 qr_expired
 * (also a spent code shown for a parcel that is waiting here), 404 nothing_to_collect (the
 * code stays valid; also a repeated scan of the spent code), 429 rate_limited.
 */
export async function scanPickupCode(
  db: Db,
  input: { automatId: string; qr: string },
  opts: { now?: Date; secret?: Buffer } = {},
): Promise<{ cellNumber: number | null; orderId: string }[]> {
  const now = opts.now ?? new Date();
  await admitScan(db, input.automatId, now);
  try {
    return await db.transaction(async (tx) => {
      const { userId, superseded, spentByPickup } = await checkPickupToken(tx, input.qr, {
        now,
        secret: opts.secret,
        lock: true,
      });
      if (superseded) {
        // The code the last pickup spent, scanned again with nothing left here: the contract's
        // answer to a repeated scan. Any other superseded code, or a spent one shown for a
        // parcel that is waiting, is expired.
        if (spentByPickup && !(await hasParcelsWaiting(tx, userId, input.automatId))) {
          throw new AppError('nothing_to_collect', 'No parcels are waiting for this customer at this locker.');
        }
        throw new AppError(
          'qr_expired',
          'This pickup code has been used or replaced. Open SkyPost and show the current code.',
        );
      }
      const opened = await collectParcels(tx, { automatId: input.automatId, userId, now });
      await issuePickupCode(tx, userId, { now, secret: opts.secret, spent: true });
      return opened;
    });
  } catch (err) {
    if (FAILED_SCAN_CODES.has((err as AppError).code))
      await hitRateLimit(db, { rule: SCAN_RATE_LIMITS.failuresPerAutomat, key: input.automatId, now });
    throw err;
  }
}
