'use client';

import { NextIntlClientProvider, type AbstractIntlMessages } from 'next-intl';
import type { ReactNode } from 'react';
import { QueryProvider } from '@/components/query-provider';
import { formats } from '@/i18n/formats';

export type SignedInProvidersProps = {
  locale: string;
  timeZone: string;
  now: Date;
  messages: AbstractIntlMessages;
  children: ReactNode;
};

/**
 * What a signed-in customer's pages share in the browser: next-intl (the site's client
 * messages) and one react-query cache, so the bell and the inbox stay in step. The site layout
 * loads this module only for a signed-in visitor (next/dynamic), so anonymous pages (the home
 * page, the catalog) download neither library.
 */
export default function SignedInProviders({ locale, timeZone, now, messages, children }: SignedInProvidersProps) {
  return (
    <NextIntlClientProvider locale={locale} timeZone={timeZone} now={now} formats={formats} messages={messages}>
      <QueryProvider>{children}</QueryProvider>
    </NextIntlClientProvider>
  );
}
