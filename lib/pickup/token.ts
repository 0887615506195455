import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { users } from '@/db/schema';
import { env } from '@/env';
import { AppError } from '@/lib/errors';

// The pickup QR code's text, "SP2.<body>" (55 characters, so the printed code stays coarse and
// quick to read): body = base64url of 38 bytes, the user id (16), the issue time in ms (6,
// big-endian) and the first 16 bytes (128 bits) of HMAC-SHA256 over "SP2" + those 22 bytes.
// Codes issued before it, "SP1.<payload>.<signature>" (payload = base64url JSON {"u": user
// id, "i": issue time in ms}, signature = HMAC-SHA256 over "SP1.<payload>"), still verify:
// a parcel may be waiting for a customer who saved one. Both carry the same two claims, and
// the server keeps the current issue time in users.qr_issued_at / qr_expires_at, so a newer
// code supersedes every older one of either form. Verification lives only here; the kiosk
// scan endpoint calls verifyPickupToken.

export const PICKUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
const LEGACY_VERSION = 'SP1';
const VERSION = 'SP2';
const MAC_BYTES = 16;
const BODY_BYTES = 16 + 6 + MAC_BYTES;

export function pickupSecret(): Buffer {
  const e = env();
  if (e.PICKUP_QR_SECRET) return Buffer.from(e.PICKUP_QR_SECRET, 'utf8');
  if (!e.NEXTAUTH_SECRET) throw new Error('PICKUP_QR_SECRET or NEXTAUTH_SECRET must be set to sign pickup codes.');
  return Buffer.from(hkdfSync('sha256', e.NEXTAUTH_SECRET, 'skypost', 'pickup-qr-v1', 32));
}

function sign(body: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

function mac(claims: Buffer, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(VERSION).update(claims).digest().subarray(0, MAC_BYTES);
}

/** The user id and issue time as the 22 bytes the current format signs. */
function packClaims(userId: string, issuedAtMs: number): Buffer {
  const claims = Buffer.alloc(22);
  Buffer.from(userId.replaceAll('-', ''), 'hex').copy(claims, 0);
  claims.writeUIntBE(issuedAtMs, 16, 6);
  return claims;
}

const formatUuid = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

export function encodePickupToken(userId: string, issuedAt: Date, secret: Buffer = pickupSecret()): string {
  const claims = packClaims(userId, issuedAt.getTime());
  return `${VERSION}.${Buffer.concat([claims, mac(claims, secret)]).toString('base64url')}`;
}

const invalid = () => new AppError('invalid_qr', 'This is not a SkyPost pickup code, or it has been altered.');

/** The claims of a genuine code of either format (signature checked in constant time), else 403 invalid_qr. */
function decodePickupToken(token: string, secret: Buffer): { u: string; i: number } {
  const text = token.trim();
  const parts = text.split('.');
  if (parts.length === 2 && parts[0] === VERSION) {
    const body = parts[1]!;
    const bytes = Buffer.from(body, 'base64url');
    // Node's decoder skips characters outside the alphabet: only the canonical text is ours.
    if (bytes.length !== BODY_BYTES || bytes.toString('base64url') !== body) throw invalid();
    const claims = bytes.subarray(0, 22);
    if (!timingSafeEqual(bytes.subarray(22), mac(claims, secret))) throw invalid();
    return { u: formatUuid(claims.subarray(0, 16).toString('hex')), i: claims.readUIntBE(16, 6) };
  }
  if (parts.length !== 3 || parts[0] !== LEGACY_VERSION) throw invalid();
  const [version, payload, signature] = parts as [string, string, string];
  const expected = Buffer.from(sign(`${version}.${payload}`, secret), 'base64url');
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let claims: { u?: unknown; i?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { u?: unknown; i?: unknown };
  } catch {
    throw invalid();
  }
  if (typeof claims.u !== 'string' || typeof claims.i !== 'number' || !/^[0-9a-f-]{36}$/i.test(claims.u))
    throw invalid();
  return { u: claims.u, i: claims.i };
}

export type PickupCode = { token: string; issuedAt: Date; expiresAt: Date };

/**
 * Issues a fresh code, invalidating every earlier one. With `spent` (a pickup used the code)
 * the previous code's issue time is remembered as spent; a code issued otherwise forgets it.
 */
export async function issuePickupCode(
  db: DbOrTx,
  userId: string,
  opts: { now?: Date; secret?: Buffer; spent?: boolean } = {},
): Promise<PickupCode> {
  // Whole milliseconds, so the stored time equals the time inside the token.
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime()));
  // Strictly later than the previous code even within one millisecond (or a clock step
  // back), so the previous token always stops matching.
  const issued = sql`greatest(${now.toISOString()}::timestamptz, ${users.qrIssuedAt} + interval '1 millisecond')`;
  const [row] = await db
    .update(users)
    .set({
      qrIssuedAt: issued,
      qrExpiresAt: sql`${issued} + ${`${PICKUP_TOKEN_TTL_MS} milliseconds`}::interval`,
      qrSpentIssuedAt: opts.spent ? sql`${users.qrIssuedAt}` : null,
    })
    .where(eq(users.id, userId))
    .returning({ issuedAt: users.qrIssuedAt, expiresAt: users.qrExpiresAt });
  if (!row?.issuedAt || !row.expiresAt) throw new AppError('not_found', 'Account not found');
  return {
    token: encodePickupToken(userId, row.issuedAt, opts.secret),
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
  };
}

/** The current code while it is valid (the same token every time), otherwise a new one. */
export async function currentPickupCode(
  db: DbOrTx,
  userId: string,
  opts: { now?: Date; secret?: Buffer } = {},
): Promise<PickupCode> {
  const now = opts.now ?? new Date();
  const [u] = await db
    .select({ issuedAt: users.qrIssuedAt, expiresAt: users.qrExpiresAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!u) throw new AppError('not_found', 'Account not found');
  // Reissue when less than a minute is left, so a code never expires at the kiosk.
  if (u.issuedAt && u.expiresAt && u.expiresAt.getTime() - now.getTime() > 60_000) {
    return { token: encodePickupToken(userId, u.issuedAt, opts.secret), issuedAt: u.issuedAt, expiresAt: u.expiresAt };
  }
  return issuePickupCode(db, userId, opts);
}

/**
 * Verifies a scanned code: 403 invalid_qr when it is not ours or was tampered with,
 * 410 qr_expired when it is past its 24 h or a newer code was issued since.
 */
export async function verifyPickupToken(
  db: DbOrTx,
  token: string,
  opts: { now?: Date; secret?: Buffer; lock?: boolean } = {},
): Promise<{ userId: string }> {
  const result = await checkPickupToken(db, token, opts);
  if (result.superseded) throw superseded();
  return { userId: result.userId };
}

const superseded = () =>
  new AppError('qr_expired', 'A newer pickup code has been issued. Open SkyPost and show the current code.');

/**
 * Like verifyPickupToken, but a genuine code that a newer one superseded (a spent code, after
 * a pickup) is reported instead of thrown, so the kiosk can tell a repeated scan of parcels
 * already collected (nothing to collect) from an old code shown for a new parcel (expired).
 */
export async function checkPickupToken(
  db: DbOrTx,
  token: string,
  opts: { now?: Date; secret?: Buffer; lock?: boolean } = {},
): Promise<{ userId: string; superseded: boolean; spentByPickup: boolean }> {
  const now = opts.now ?? new Date();
  const claims = decodePickupToken(token, opts.secret ?? pickupSecret());
  if (claims.i + PICKUP_TOKEN_TTL_MS <= now.getTime()) {
    throw new AppError('qr_expired', 'This pickup code has expired. Open SkyPost and show the new code.');
  }
  // With `lock` (inside a transaction that will spend the code) the customer's row is held,
  // so two lockers scanning one code at the same moment cannot both accept it. NO KEY UPDATE
  // does not block foreign-key checks of rows referencing the user (orders, notifications).
  const query = db
    .select({ issuedAt: users.qrIssuedAt, expiresAt: users.qrExpiresAt, spentIssuedAt: users.qrSpentIssuedAt })
    .from(users)
    .where(eq(users.id, claims.u));
  const [u] = opts.lock ? await query.for('no key update') : await query;
  if (!u) throw invalid();
  if (!u.issuedAt || !u.expiresAt || u.issuedAt.getTime() !== claims.i) {
    // Codes are only ever replaced by later ones; a token from the future was never issued.
    if (u.issuedAt && claims.i > u.issuedAt.getTime()) throw invalid();
    return { userId: claims.u, superseded: true, spentByPickup: u.spentIssuedAt?.getTime() === claims.i };
  }
  if (u.expiresAt.getTime() <= now.getTime()) {
    throw new AppError('qr_expired', 'This pickup code has expired. Open SkyPost and show the new code.');
  }
  return { userId: claims.u, superseded: false, spentByPickup: false };
}
