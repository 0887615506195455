import type { DbOrTx } from '@/db';
import { adoptUserLocale, storeUserLocale } from '@/db/queries/user-locale';
import type { Locale } from '@/i18n/config';

// The account's language (users.locale) is what notifications are written in, also when the
// customer is not looking at the site. The site itself follows the NEXT_LOCALE cookie.

/** The language switch, signed in: the choice is the account's from now on. */
export async function chooseLocale(db: DbOrTx, userId: string, locale: Locale): Promise<void> {
  await storeUserLocale(db, { userId, locale });
}

/** Registration and sign-in: the browser's language, unless the account already has one. */
export async function adoptBrowserLocale(db: DbOrTx, userId: string, locale: Locale): Promise<boolean> {
  return adoptUserLocale(db, { userId, locale });
}
