import type { Db } from '@/db';
import { collectParcelWithPin } from '@/lib/dispatch/delivery-flow';
import { enforceRateLimits, hitRateLimit, rateLimited, refundRateLimit, type RateLimitRule } from '@/lib/rate-limit';
import { SCAN_RATE_LIMITS } from './collect';

// A pickup PIN typed on the kiosk keypad (lib/pickup/pin-code.ts issues them). A million PINs
// against a handful of parcels waiting at a locker is only safe because guessing is slow.

/**
 * PIN attempts per locker: 5 a minute. Every attempt is counted before it is checked and a
 * PIN that opens a cell is given back, so parallel guesses cannot slip past the limit and
 * customers who type their PIN right never use it up.
 */
export const PIN_RATE_LIMIT = { bucket: 'scan_pin_automat_1m', limit: 5, windowSeconds: 60 } satisfies RateLimitRule;

/**
 * Opens the one parcel waiting at this automat under this PIN. Errors: 403 invalid_pin (no
 * parcel waiting here has it, which includes a PIN already used), 429 rate_limited
 * (PIN_RATE_LIMIT, or the automat's overall scan limit).
 */
export async function scanPickupPin(
  db: Db,
  input: { automatId: string; pin: string },
  opts: { now?: Date } = {},
): Promise<{ cellNumber: number | null; orderId: string }[]> {
  const now = opts.now ?? new Date();
  await enforceRateLimits(db, [{ rule: SCAN_RATE_LIMITS.scansPerAutomatMinute, key: input.automatId }], {
    now,
    message: 'Too many scans at this locker.',
  });
  const attempt = await hitRateLimit(db, { rule: PIN_RATE_LIMIT, key: input.automatId, now });
  if (!attempt.allowed) throw rateLimited(attempt.retryAfterSeconds, 'Too many wrong PINs at this locker.');
  const opened = await collectParcelWithPin(db, { automatId: input.automatId, pin: input.pin, now });
  await refundRateLimit(db, { rule: PIN_RATE_LIMIT, key: input.automatId, now });
  return opened;
}
