import type { Metadata } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { AdminHeader } from '@/components/admin/admin-header';
import { Logo } from '@/components/logo';
import { QueryProvider } from '@/components/query-provider';
import { LanguageSwitch } from '@/components/site/language-switch';
import { ButtonLink } from '@/components/ui/button';
import { clientMessages } from '@/i18n/client-messages';
import { requireAdminPage } from '@/lib/auth/session';
import { cx } from '@/lib/cx';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('adminShell.meta');
  return { title: { default: t('title'), template: t('template', { page: '%s' }) } };
}

const NAV = [
  ['/admin', 'map'],
  ['/admin/overview', 'overview'],
  ['/admin/orders', 'orders'],
  ['/admin/drones', 'drones'],
  ['/admin/automats', 'automats'],
  ['/admin/goods', 'goods'],
  ['/admin/users', 'users'],
  ['/admin/alerts', 'alerts'],
  ['/admin/analytics', 'analytics'],
  ['/admin/audit', 'audit'],
  ['/', 'site'],
] as const;

export default async function AdminLayout({ children }: { children: ReactNode }) {
  // Each admin page checks again itself; this keeps the chrome away from non-admins.
  const admin = await requireAdminPage('/admin');
  const [t, messages] = await Promise.all([getTranslations('adminShell'), getMessages()]);
  const account = (
    <>
      <LanguageSwitch tone="dark" />
      <ButtonLink href="/signout" variant="inverse">
        {t('signOut')}
      </ButtonLink>
    </>
  );
  // The portal's own texts reach the browser only on its pages (i18n/client-messages.ts).
  return (
    <NextIntlClientProvider messages={clientMessages(messages, 'admin')}>
      <QueryProvider>
        <div className="flex min-h-dvh flex-col">
          <AdminHeader
            brand={
              <div className="flex min-w-0 items-center gap-2 [&_a]:text-white">
                <Logo href="/admin" label={t('home')} />
                <span
                  className={cx(
                    'truncate rounded bg-white/10 px-2 py-0.5 text-xs font-semibold tracking-wide',
                    'uppercase',
                  )}
                >
                  {t('badge')}
                </span>
              </div>
            }
            user={admin.fullName}
            account={account}
            nav={NAV.map(([href, key]) => ({ href, label: t(`nav.${key}`) }))}
            labels={{ nav: t('nav.label'), menu: t('menu'), closeMenu: t('closeMenu') }}
          />
          <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-8">
            {children}
          </main>
        </div>
      </QueryProvider>
    </NextIntlClientProvider>
  );
}
