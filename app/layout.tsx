import type { Metadata, Viewport } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
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
  const [locale, t] = await Promise.all([getLocale(), getTranslations('site')]);
  return (
    <html lang={locale}>
      <body className="min-h-dvh">
        <a
          href="#main"
          className="sr-only z-50 rounded-md bg-white px-4 py-2 font-semibold text-brand-800 focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
        >
          {t('skipToContent')}
        </a>
        {/* Locale, messages, the app's time zone and the request's "now" come from i18n/request.ts. */}
        <NextIntlClientProvider>
          <Providers>{children}</Providers>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
