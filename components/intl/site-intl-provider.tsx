import { NextIntlClientProvider } from 'next-intl';
import { getMessages } from 'next-intl/server';
import type { ReactNode } from 'react';
import { clientMessages } from '@/i18n/client-messages';

/**
 * next-intl for the client components of a page an anonymous visitor opens (sign-in,
 * registration): the site's client messages (i18n/client-messages.ts), the language, the time
 * zone and the request's "now". Signed-in pages get the same from the site layout
 * (components/site/signed-in-providers.tsx); the home page and the catalog need none.
 */
export async function SiteIntlProvider({ children }: { children: ReactNode }) {
  return <NextIntlClientProvider messages={clientMessages(await getMessages())}>{children}</NextIntlClientProvider>;
}
