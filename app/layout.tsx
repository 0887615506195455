import type { Metadata, Viewport } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { ErrorTextsProvider } from '@/components/intl/error-texts';
import './globals.css';
import { cx } from '@/lib/cx';

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
  const [locale, t, te] = await Promise.all([getLocale(), getTranslations('site'), getTranslations('errors.error')]);
  return (
    <html lang={locale}>
      <body className="min-h-dvh">
        <a
          href="#main"
          className={cx(
            'sr-only z-50 rounded-md bg-white px-4 py-2 font-semibold text-brand-800 focus:not-sr-only focus:fixed',
            'focus:top-2 focus:left-2',
          )}
        >
          {t('skipToContent')}
        </a>
        {/* No next-intl provider here: the parts that translate in the browser bring their own
            (the signed-in site, sign-in and registration, the kiosk, the admin portal), so the
            home page and the catalog load no translation code. The error page gets its texts
            translated here. */}
        <ErrorTextsProvider
          texts={{
            title: te('title'),
            text: te('text'),
            reference: te('reference', { digest: '{digest}' }),
            retry: te('retry'),
            home: te('home'),
          }}
        >
          {children}
        </ErrorTextsProvider>
      </body>
    </html>
  );
}
