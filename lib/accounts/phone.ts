import { createHmac, hkdfSync, randomInt, timingSafeEqual } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { users } from '@/db/schema';
import type { PublicUser } from '@/db/queries/users';
import { env } from '@/env';
import { enforceRateLimits, type RateLimitRule } from '@/lib/rate-limit';
import type { SmsSender } from '@/lib/sms/sender';

// Phone sign-in with a 6-digit SMS code (spec `users` columns): valid 5 minutes, single
// use, void after 5 wrong attempts, requests rate limited per phone number and per IP.
// Only an HMAC of the code is stored, so a database dump or a logged query does not
// reveal codes that are still valid.

export const CODE_TTL_MS = 5 * 60 * 1000;
export const MAX_CODE_ATTEMPTS = 5;
export const PHONE_RATE_LIMITS = {
  perPhoneBurst: { bucket: 'sms_code_phone_30s', limit: 1, windowSeconds: 30 },
  perPhoneHour: { bucket: 'sms_code_phone_1h', limit: 5, windowSeconds: 3600 },
  perIpHour: { bucket: 'sms_code_ip_1h', limit: 30, windowSeconds: 3600 },
} satisfies Record<string, RateLimitRule>;

const NEW_ACCOUNT_NAME = 'SkyPost customer';

/**
 * The key of the stored code HMACs: derived from NEXTAUTH_SECRET (its own label, so it is independent of other keys).
 */
export function smsCodeSecret(): Buffer {
  const secret = env().NEXTAUTH_SECRET;
  if (!secret) throw new Error('NEXTAUTH_SECRET must be set to store SMS sign-in codes.');
  return Buffer.from(hkdfSync('sha256', secret, 'skypost', 'sms-code-v1', 32));
}

/** What is stored for a code: bound to the phone number, so equal codes of two phones differ. */
export function hashPhoneCode(phoneNumber: string, code: string, secret: Buffer = smsCodeSecret()): string {
  return createHmac('sha256', secret).update(`${phoneNumber}\n${code}`).digest('hex');
}

export async function requestPhoneCode(
  db: Db,
  input: { phoneNumber: string; fullName?: string; ip: string },
  deps: { sender: SmsSender; now?: Date; secret?: Buffer },
): Promise<{ expiresAt: Date }> {
  const now = deps.now ?? new Date();
  // Counted before anything else, in their own statements, so refused requests count too.
  await enforceRateLimits(
    db,
    [
      { rule: PHONE_RATE_LIMITS.perPhoneBurst, key: input.phoneNumber },
      { rule: PHONE_RATE_LIMITS.perPhoneHour, key: input.phoneNumber },
      { rule: PHONE_RATE_LIMITS.perIpHour, key: input.ip },
    ],
    { now, message: 'Too many code requests.' },
  );
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(now.getTime() + CODE_TTL_MS);
  const codeHash = hashPhoneCode(input.phoneNumber, code, deps.secret);
  // The account is created on first use; a new code replaces any previous one.
  await db
    .insert(users)
    .values({
      fullName: input.fullName ?? NEW_ACCOUNT_NAME,
      phoneNumber: input.phoneNumber,
      verificationCode: codeHash,
      codeExpiresAt: expiresAt,
      codeAttempts: 0,
    })
    .onConflictDoUpdate({
      target: users.phoneNumber,
      set: { verificationCode: codeHash, codeExpiresAt: expiresAt, codeAttempts: 0 },
    });
  await deps.sender.send(input.phoneNumber, `Your SkyPost code is ${code}. It expires in 5 minutes. Never share it.`);
  return { expiresAt };
}

export type PhoneVerification =
  | { ok: true; user: PublicUser & { sessionVersion: number } }
  | { ok: false; reason: 'no_code' | 'expired' | 'wrong_code' | 'too_many_attempts' };

/** Checks a code; single use; the 5th wrong attempt voids the code. Never says whether the account exists. */
export async function verifyPhoneCode(
  db: Db,
  input: { phoneNumber: string; code: string },
  { now = new Date(), secret }: { now?: Date; secret?: Buffer } = {},
): Promise<PhoneVerification> {
  const givenHash = Buffer.from(hashPhoneCode(input.phoneNumber, input.code, secret), 'hex');
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({
        id: users.id,
        fullName: users.fullName,
        email: users.email,
        phoneNumber: users.phoneNumber,
        role: users.role,
        sessionVersion: users.sessionVersion,
        verificationCode: users.verificationCode,
        codeExpiresAt: users.codeExpiresAt,
        codeAttempts: users.codeAttempts,
      })
      .from(users)
      .where(eq(users.phoneNumber, input.phoneNumber))
      .for('update')
      .limit(1);
    if (!user?.verificationCode || !user.codeExpiresAt) return { ok: false, reason: 'no_code' };
    if (user.codeExpiresAt.getTime() <= now.getTime()) {
      await tx
        .update(users)
        .set({ verificationCode: null, codeExpiresAt: null, codeAttempts: 0 })
        .where(eq(users.id, user.id));
      return { ok: false, reason: 'expired' };
    }
    const stored = Buffer.from(user.verificationCode, 'hex');
    const matches = stored.length === givenHash.length && timingSafeEqual(stored, givenHash);
    if (!matches) {
      const attempts = user.codeAttempts + 1;
      const voided = attempts >= MAX_CODE_ATTEMPTS;
      await tx
        .update(users)
        .set(
          voided
            ? { verificationCode: null, codeExpiresAt: null, codeAttempts: 0 }
            : { codeAttempts: sql`${users.codeAttempts} + 1` },
        )
        .where(eq(users.id, user.id));
      return { ok: false, reason: voided ? 'too_many_attempts' : 'wrong_code' };
    }
    await tx
      .update(users)
      .set({ phoneVerified: true, verificationCode: null, codeExpiresAt: null, codeAttempts: 0 })
      .where(eq(users.id, user.id));
    const { id, fullName, email, phoneNumber, role, sessionVersion } = user;
    return { ok: true, user: { id, fullName, email, phoneNumber, role, sessionVersion } };
  });
}
