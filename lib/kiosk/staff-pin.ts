import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db';
import { parcelAutomats } from '@/db/schema';
import { AppError, notFound } from '@/lib/errors';
import { hitRateLimit, rateLimited, refundRateLimit, type RateLimitRule } from '@/lib/rate-limit';

// The kiosk's staff mode (pairing, unpairing, parcels to move) opens with a staff PIN that
// staff choose when they pair the screen with the locker's device key. The kiosk is public,
// so the PIN is only ever checked here, against an scrypt hash: a passer-by at the screen
// has no key and cannot read the hash, and guesses are limited per locker.

/** How long staff mode stays open without a touch or key press; the kiosk closes it then. */
export const STAFF_IDLE_SECONDS = 60;

/**
 * Staff PIN attempts per locker. Every attempt is counted before the PIN is checked and a
 * correct one is given back, so a burst of parallel guesses cannot slip past the limit.
 */
export const STAFF_PIN_LIMIT = {
  bucket: 'kiosk_staff_pin_10m',
  limit: 5,
  windowSeconds: 10 * 60,
} satisfies RateLimitRule;

// scrypt cost: about 16 MiB and a few tens of milliseconds per check, cheap for a kiosk
// that checks a PIN now and then, costly for anyone holding a leaked hash.
const N = 16_384;
const R = 8;
const P = 1;
const KEY_BYTES = 32;

function derive(pin: string, salt: Buffer, { n, r, p }: { n: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, KEY_BYTES, { N: n, r, p, maxmem: 128 * n * r * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (base64url), the format the parcel_automats check accepts. */
export async function hashStaffPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(pin, salt, { n: N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Compares in constant time; a malformed stored hash never matches. */
export async function verifyStaffPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Bounds, so a damaged row cannot make one check allocate gigabytes.
  if (![n, r, p].every((v) => Number.isInteger(v) && v > 0) || n > 1 << 17 || r > 16 || p > 4) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 8 || expected.length !== KEY_BYTES) return false;
  const given = await derive(pin, salt, { n, r, p });
  return timingSafeEqual(given, expected);
}

/** Sets (or replaces) the locker's staff PIN; the caller has authenticated the locker's key. */
export async function setStaffPin(db: Db, input: { automatId: string; pin: string }): Promise<void> {
  const hash = await hashStaffPin(input.pin);
  const [row] = await db
    .update(parcelAutomats)
    .set({ staffPinHash: hash })
    .where(eq(parcelAutomats.id, input.automatId))
    .returning({ id: parcelAutomats.id });
  if (!row) throw notFound('Parcel automat');
}

/**
 * Checks a staff PIN typed at the kiosk: 429 rate_limited after STAFF_PIN_LIMIT attempts,
 * 409 conflict when no staff PIN was set (an older pairing), 403 invalid_pin when it is wrong.
 */
export async function openStaffMode(
  db: Db,
  input: { automatId: string; pin: string },
  opts: { now?: Date } = {},
): Promise<{ idleSeconds: number }> {
  const now = opts.now ?? new Date();
  const attempt = await hitRateLimit(db, { rule: STAFF_PIN_LIMIT, key: input.automatId, now });
  if (!attempt.allowed) throw rateLimited(attempt.retryAfterSeconds, 'Too many staff PIN attempts at this locker.');
  const [automat] = await db
    .select({ hash: parcelAutomats.staffPinHash })
    .from(parcelAutomats)
    .where(eq(parcelAutomats.id, input.automatId));
  if (!automat) throw notFound('Parcel automat');
  if (!automat.hash) {
    await refundRateLimit(db, { rule: STAFF_PIN_LIMIT, key: input.automatId, now });
    throw new AppError(
      'conflict',
      'No staff PIN is set for this locker yet. Enter the locker’s device key and choose one.',
    );
  }
  if (!(await verifyStaffPin(input.pin, automat.hash)))
    throw new AppError('invalid_pin', 'This staff PIN is not correct.');
  await refundRateLimit(db, { rule: STAFF_PIN_LIMIT, key: input.automatId, now });
  return { idleSeconds: STAFF_IDLE_SECONDS };
}
