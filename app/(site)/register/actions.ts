'use server';

import { getLocale } from 'next-intl/server';
import { headers } from 'next/headers';
import { db } from '@/db';
import { isLocale } from '@/i18n/config';
import { runAction, type ActionResult } from '@/lib/actions';
import { registerCustomer } from '@/lib/accounts/register';
import { clientIpFromHeaders } from '@/lib/http';
import { registerSchema } from '@/lib/validation/accounts';

/** Public by nature (it creates the account); validated and rate limited like the API route. */
export async function registerAction(_prev: unknown, form: FormData): Promise<ActionResult<{ email: string }>> {
  return runAction(
    { schema: registerSchema, input: form, options: { fieldFor: { email_taken: 'email' }, localize: true } },
    async (data) => {
      const [h, locale] = await Promise.all([headers(), getLocale()]);
      const user = await registerCustomer(
        db,
        {
          fullName: data.full_name,
          email: data.email,
          password: data.password,
          locale: isLocale(locale) ? locale : undefined,
        },
        { ip: clientIpFromHeaders(h) },
      );
      return { email: user.email ?? data.email };
    },
  );
}
