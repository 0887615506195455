import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { users } from '@/db/schema';
import type { PublicUser } from '@/db/queries/users';
import type { Locale } from '@/i18n/config';
import { hashPassword } from '@/lib/auth/password';
import { AppError } from '@/lib/errors';
import { enforceRateLimits, type RateLimitRule } from '@/lib/rate-limit';

/**
 * Sign-ups per client address, counted in PostgreSQL (every attempt that passed validation,
 * taken emails included, so the limit also slows down probing which emails have accounts).
 * Generous enough for a household or an office behind one address.
 */
export const REGISTER_RATE_LIMITS = {
  perIpHour: { bucket: 'register_ip_1h', limit: 20, windowSeconds: 60 * 60 },
  perIpDay: { bucket: 'register_ip_1d', limit: 100, windowSeconds: 24 * 60 * 60 },
} satisfies Record<string, RateLimitRule>;

export const emailTaken = () =>
  new AppError('email_taken', 'An account with this email already exists. Sign in instead, or use another email.');

/** Creates a customer account (role client). Emails are stored lower-case. */
export async function registerUser(
  db: DbOrTx,
  input: { fullName: string; email: string; password: string; locale?: Locale },
): Promise<PublicUser> {
  const passHash = await hashPassword(input.password);
  const [row] = await db
    .insert(users)
    .values({
      fullName: input.fullName,
      email: input.email.toLowerCase(),
      passHash,
      role: 'client',
      ...(input.locale ? { locale: input.locale, localeSetAt: new Date() } : {}),
    })
    .onConflictDoNothing({ target: users.email })
    .returning({
      id: users.id,
      fullName: users.fullName,
      email: users.email,
      phoneNumber: users.phoneNumber,
      role: users.role,
    });
  if (!row) throw emailTaken();
  return row;
}

/** Public sign-up (API route and form): the per-address limits first (429 + Retry-After), then the account. */
export async function registerCustomer(
  db: DbOrTx,
  /** `locale`: the language of the sign-up request, which the account's notifications use. */
  input: { fullName: string; email: string; password: string; locale?: Locale },
  from: { ip: string; now?: Date },
): Promise<PublicUser> {
  await enforceRateLimits(
    db,
    [
      { rule: REGISTER_RATE_LIMITS.perIpHour, key: from.ip },
      { rule: REGISTER_RATE_LIMITS.perIpDay, key: from.ip },
    ],
    { now: from.now, message: 'Too many sign-ups from your network.' },
  );
  return registerUser(db, input);
}

/** Changes name and email; another account's email is a 409. */
export async function updateProfile(
  db: DbOrTx,
  userId: string,
  input: { fullName: string; email: string },
): Promise<PublicUser> {
  const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
  if (taken && taken.id !== userId) throw emailTaken();
  try {
    const [row] = await db
      .update(users)
      .set({ fullName: input.fullName, email: input.email })
      .where(eq(users.id, userId))
      .returning({
        id: users.id,
        fullName: users.fullName,
        email: users.email,
        phoneNumber: users.phoneNumber,
        role: users.role,
      });
    if (!row) throw new AppError('not_found', 'Account not found');
    return row;
  } catch (err) {
    if ((err as { code?: string; cause?: { code?: string } }).cause?.code === '23505') throw emailTaken();
    throw err;
  }
}
