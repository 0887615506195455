import type { Metadata, Viewport } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getMessages, getTranslations } from 'next-intl/server';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import { clientMessages } from '@/i18n/client-messages';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('site.meta');
  return {
    title: { default: t('title'), template: '%s · SkyPost' },
    description: t('description'),
  };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0b5294' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: proxy.ts issues a fresh CSP nonce each time, and a page
  // prerendered at build time would carry scripts without it, which the browser refuses.
  await connection();
  const [locale, t, messages] = await Promise.all([getLocale(), getTranslations('site'), getMessages()]);
  return (
    <html lang={locale}>
      <body className="min-h-dvh">
        <a
          href="#main"
          className="sr-only z-50 rounded-md bg-white px-4 py-2 font-semibold text-brand-800 focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
        >
          {t('skipToContent')}
        </a>
        {/* Locale, the app's time zone and the request's "now" come from i18n/request.ts; of the
            messages, only those client components may read (i18n/client-messages.ts). */}
        <NextIntlClientProvider messages={clientMessages(messages)}>
          <Providers>{children}</Providers>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
