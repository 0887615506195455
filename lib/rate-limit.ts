import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { rateLimitCounters } from '@/db/schema';
import { AppError } from './errors';

export type RateLimitRule = { bucket: string; limit: number; windowSeconds: number };

function windowOf(rule: RateLimitRule, now: Date) {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
  return { windowStart, retryAfterSeconds };
}

export const rateLimited = (retryAfterSeconds: number, message = 'Too many requests. Please wait and try again.') =>
  new AppError('rate_limited', `${message} Try again in ${retryAfterSeconds} s.`, {
    headers: {
      'Retry-After': String(retryAfterSeconds),
    },
  });

/** Reads a counter without counting: how many hits this window has, and whether another is allowed. */
export async function peekRateLimit(
  db: DbOrTx,
  { rule, key, now = new Date() }: { rule: RateLimitRule; key: string; now?: Date },
): Promise<{ count: number; allowed: boolean; retryAfterSeconds: number }> {
  const { windowStart, retryAfterSeconds } = windowOf(rule, now);
  const [row] = await db
    .select({ count: rateLimitCounters.count })
    .from(rateLimitCounters)
    .where(
      and(
        eq(rateLimitCounters.bucket, rule.bucket),
        eq(rateLimitCounters.key, key),
        eq(rateLimitCounters.windowStart, windowStart),
      ),
    );
  const count = row?.count ?? 0;
  return { count, allowed: count < rule.limit, retryAfterSeconds };
}

/** Throws the contract's 429 when any of these counters is already at its limit (counts nothing). */
export async function checkRateLimits(
  db: DbOrTx,
  checks: { rule: RateLimitRule; key: string }[],
  { now = new Date(), message }: { now?: Date; message?: string } = {},
) {
  let worst = 0;
  for (const { rule, key } of checks) {
    const { allowed, retryAfterSeconds } = await peekRateLimit(db, { rule, key, now });
    if (!allowed) worst = Math.max(worst, retryAfterSeconds);
  }
  if (worst > 0) throw rateLimited(worst, message);
}

/**
 * Gives back a hit counted with hitRateLimit at the same `now` (e.g. a sign-in attempt that
 * turned out to succeed). Counting first and refunding afterwards keeps a burst of parallel
 * attempts within the limit, which checking first and counting afterwards would not.
 */
export async function refundRateLimit(
  db: DbOrTx,
  { rule, key, now }: { rule: RateLimitRule; key: string; now: Date },
): Promise<void> {
  const { windowStart } = windowOf(rule, now);
  await db
    .update(rateLimitCounters)
    .set({ count: sql`${rateLimitCounters.count} - 1` })
    .where(
      and(
        eq(rateLimitCounters.bucket, rule.bucket),
        eq(rateLimitCounters.key, key),
        eq(rateLimitCounters.windowStart, windowStart),
        gt(rateLimitCounters.count, 0),
      ),
    );
}

/**
 * Counts one hit against a fixed window and says whether it is within the limit.
 * Atomic under concurrency: the counter row is upserted and incremented in one statement.
 */
export async function hitRateLimit(
  db: DbOrTx,
  { rule, key, now = new Date() }: { rule: RateLimitRule; key: string; now?: Date },
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const { windowStart, retryAfterSeconds } = windowOf(rule, now);
  const [row] = await db
    .insert(rateLimitCounters)
    .values({ bucket: rule.bucket, key, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: [rateLimitCounters.bucket, rateLimitCounters.key, rateLimitCounters.windowStart],
      set: { count: sql`${rateLimitCounters.count} + 1` },
    })
    .returning({ count: rateLimitCounters.count });
  return { allowed: (row?.count ?? 0) <= rule.limit, retryAfterSeconds };
}

/** Applies several rules; throws the contract's 429 with Retry-After for the first one exceeded. */
export async function enforceRateLimits(
  db: DbOrTx,
  checks: { rule: RateLimitRule; key: string }[],
  { now = new Date(), message }: { now?: Date; message?: string } = {},
) {
  let worst = 0;
  for (const { rule, key } of checks) {
    const { allowed, retryAfterSeconds } = await hitRateLimit(db, { rule, key, now });
    if (!allowed) worst = Math.max(worst, retryAfterSeconds);
  }
  if (worst > 0) throw rateLimited(worst, message);
}

/** Drops windows older than a day; called opportunistically. */
export async function pruneRateLimits(db: DbOrTx, now = new Date()) {
  await db.delete(rateLimitCounters).where(lt(rateLimitCounters.windowStart, new Date(now.getTime() - 86_400_000)));
}
