import { lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { rateLimitCounters } from '@/db/schema';
import { AppError } from './errors';

export type RateLimitRule = { bucket: string; limit: number; windowSeconds: number };

/**
 * Counts one hit against a fixed window and says whether it is within the limit.
 * Atomic under concurrency: the counter row is upserted and incremented in one statement.
 */
export async function hitRateLimit(db: DbOrTx, rule: RateLimitRule, key: string, now = new Date()): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const [row] = await db
    .insert(rateLimitCounters)
    .values({ bucket: rule.bucket, key, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: [rateLimitCounters.bucket, rateLimitCounters.key, rateLimitCounters.windowStart],
      set: { count: sql`${rateLimitCounters.count} + 1` },
    })
    .returning({ count: rateLimitCounters.count });
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
  return { allowed: (row?.count ?? 0) <= rule.limit, retryAfterSeconds };
}

/** Applies several rules; throws the contract's 429 with Retry-After for the first one exceeded. */
export async function enforceRateLimits(db: DbOrTx, checks: { rule: RateLimitRule; key: string }[], now = new Date(), message = 'Too many requests. Please wait and try again.') {
  let worst = 0;
  for (const { rule, key } of checks) {
    const { allowed, retryAfterSeconds } = await hitRateLimit(db, rule, key, now);
    if (!allowed) worst = Math.max(worst, retryAfterSeconds);
  }
  if (worst > 0) {
    throw new AppError('rate_limited', 429, `${message} Try again in ${worst} s.`, undefined, { 'Retry-After': String(worst) });
  }
}

/** Drops windows older than a day; called opportunistically. */
export async function pruneRateLimits(db: DbOrTx, now = new Date()) {
  await db.delete(rateLimitCounters).where(lt(rateLimitCounters.windowStart, new Date(now.getTime() - 86_400_000)));
}
