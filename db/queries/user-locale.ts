import 'server-only';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../index';
import { users } from '../schema';
import type { Locale } from '@/i18n/config';

/** The customer's own choice (the language switch): always stored. */
export async function storeUserLocale(
  db: DbOrTx,
  { userId, locale }: { userId: string; locale: Locale },
): Promise<void> {
  await db
    .update(users)
    .set({ locale, localeSetAt: sql`now()` })
    .where(eq(users.id, userId));
}

/** The browser's language, kept only while the account has no language yet; true when stored. */
export async function adoptUserLocale(
  db: DbOrTx,
  { userId, locale }: { userId: string; locale: Locale },
): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ locale, localeSetAt: sql`now()` })
    .where(and(eq(users.id, userId), isNull(users.localeSetAt)))
    .returning({ id: users.id });
  return rows.length > 0;
}

export async function findUserLocale(db: DbOrTx, { userId }: { userId: string }): Promise<Locale | undefined> {
  const [row] = await db.select({ locale: users.locale }).from(users).where(eq(users.id, userId));
  return row?.locale;
}
