import { getTranslations } from 'next-intl/server';
import { PageLink } from '@/components/ui/page-link';
import { getCurrentUser } from '@/lib/auth/session';
import { Logo } from '@/components/logo';
import { BellSlot } from '@/components/notifications/bell-slot';
import { ButtonLink } from '@/components/ui/button';
import { HeaderMenu } from './header-menu';
import { LanguageSwitch } from './language-switch';

const link = 'rounded-md px-3 py-3 text-slate-700 hover:bg-slate-100 hover:text-slate-900 sm:py-2';

export async function SiteHeader() {
  const [user, t] = await Promise.all([getCurrentUser(), getTranslations('site.header')]);
  return (
    <header className="relative border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl items-center justify-between gap-3 px-4 py-3">
        <Logo label={t('home')} />
        <div className="flex items-center gap-1 sm:gap-2">
          <HeaderMenu label={t('nav')} openLabel={t('menu')} closeLabel={t('closeMenu')}>
            <PageLink href="/catalog" className={link}>
              {t('catalog')}
            </PageLink>
            {user ? (
              <>
                <PageLink href="/orders" className={link}>
                  {t('orders')}
                </PageLink>
                <PageLink href="/pickup" className={link}>
                  {t('pickup')}
                </PageLink>
              </>
            ) : null}
            {user?.role === 'admin' ? (
              <PageLink href="/admin" className={link}>
                {t('admin')}
              </PageLink>
            ) : null}
            {user ? (
              <PageLink href="/account" className={link} title={user.email ?? undefined}>
                {t('account')}
              </PageLink>
            ) : null}
            <LanguageSwitch className="px-1 py-2 sm:py-0" />
            {user ? (
              <ButtonLink href="/signout" variant="secondary" className="mt-1 sm:mt-0">
                {t('signOut')}
              </ButtonLink>
            ) : (
              <ButtonLink href="/signin" className="mt-1 sm:mt-0">
                {t('signIn')}
              </ButtonLink>
            )}
          </HeaderMenu>
          {/* After the menu: on a phone its panel then opens within the screen's right edge. */}
          {user ? <BellSlot /> : null}
        </div>
      </div>
    </header>
  );
}
