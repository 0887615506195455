import type { DbOrTx } from '@/db';
import { emailSchema } from '@/lib/validation/auth';
import { phoneNumberSchema } from '@/lib/validation/accounts';
import { checkRateLimits, hitRateLimit, rateLimited, refundRateLimit, type RateLimitRule } from '@/lib/rate-limit';

// Failed sign-ins (password or SMS code), counted in PostgreSQL so every web instance sees
// the same counters. Only failures count: a success gives its reserved hit back and never
// touches any other account's counters. Per account the limit is moderate, so an attacker
// elsewhere can lock the real user out for at most one window; per client address it is
// stricter, which is what stops one machine from trying passwords across many accounts.

export const SIGN_IN_RATE_LIMITS = {
  failuresPerAccount: { bucket: 'signin_fail_account_15m', limit: 10, windowSeconds: 15 * 60 },
  failuresPerIp: { bucket: 'signin_fail_ip_15m', limit: 20, windowSeconds: 15 * 60 },
  failuresPerIpDay: { bucket: 'signin_fail_ip_1d', limit: 100, windowSeconds: 24 * 60 * 60 },
} satisfies Record<string, RateLimitRule>;

const MESSAGE = 'Too many sign-in attempts.';

/** The account a sign-in attempt names, normalised like sign-in does ("" when it names none). */
export function signInAccountKey(provider: 'password' | 'phone', form: { get(name: string): unknown } | null): string {
  const raw = form?.get(provider === 'password' ? 'email' : 'phone_number');
  if (typeof raw !== 'string' || raw.trim() === '') return '';
  const parsed = (provider === 'password' ? emailSchema : phoneNumberSchema).safeParse(raw);
  const value = parsed.success ? parsed.data : raw.trim().toLowerCase();
  return `${provider}:${value}`.slice(0, 255);
}

/**
 * Runs one sign-in attempt under the limits: refused with 429 (Retry-After) while a limit is
 * reached; otherwise each counter is incremented before the attempt (so parallel attempts
 * cannot all slip under the limit) and given back when the attempt was not a failed guess.
 */
export async function throttleSignIn<T>(
  db: DbOrTx,
  who: { account: string; ip: string },
  { attempt, now = new Date() }: { attempt: () => Promise<{ result: T; failed: boolean }>; now?: Date },
): Promise<T> {
  const checks: { rule: RateLimitRule; key: string }[] = [
    ...(who.account ? [{ rule: SIGN_IN_RATE_LIMITS.failuresPerAccount, key: who.account }] : []),
    { rule: SIGN_IN_RATE_LIMITS.failuresPerIp, key: who.ip },
    { rule: SIGN_IN_RATE_LIMITS.failuresPerIpDay, key: who.ip },
  ];
  await checkRateLimits(db, checks, { now, message: MESSAGE });
  const refundAll = () => Promise.all(checks.map((c) => refundRateLimit(db, { rule: c.rule, key: c.key, now })));
  let worst = 0;
  for (const c of checks) {
    const hit = await hitRateLimit(db, { rule: c.rule, key: c.key, now });
    if (!hit.allowed) worst = Math.max(worst, hit.retryAfterSeconds);
  }
  if (worst > 0) {
    // Lost a race with parallel attempts: this one is not tried and not counted.
    await refundAll();
    throw rateLimited(worst, MESSAGE);
  }
  let outcome: { result: T; failed: boolean };
  try {
    outcome = await attempt();
  } catch (err) {
    await refundAll();
    throw err;
  }
  if (!outcome.failed) await refundAll();
  return outcome.result;
}
