'use server';

import { cookies } from 'next/headers';
import { db } from '@/db';
import { env } from '@/env';
import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE_S, type Locale } from '@/i18n/config';
import { runAction, type ActionResult } from '@/lib/actions';
import { chooseLocale } from '@/lib/accounts/locale';
import { getCurrentUser } from '@/lib/auth/session';
import { setLocaleSchema } from '@/lib/validation/locale';

/**
 * The language switch: open to everyone. The cookie carries the choice on this browser; a
 * signed-in customer's account keeps it too, for the notifications they are sent.
 */
export async function setLocaleAction(input: { locale: Locale }): Promise<ActionResult<{ locale: Locale }>> {
  return runAction({ schema: setLocaleSchema, input, options: { localize: true } }, async ({ locale }) => {
    const jar = await cookies();
    jar.set(LOCALE_COOKIE, locale, {
      path: '/',
      maxAge: LOCALE_COOKIE_MAX_AGE_S,
      sameSite: 'lax',
      httpOnly: true,
      secure: (env().NEXTAUTH_URL ?? '').startsWith('https:'),
    });
    const user = await getCurrentUser();
    if (user) await chooseLocale(db, user.id, locale);
    return { locale };
  });
}
