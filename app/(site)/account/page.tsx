import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { LanguageSwitch } from '@/components/site/language-switch';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { ProfileForm } from '@/components/account/profile-form';
import { SignOutEverywhereButton } from '@/components/account/sign-out-everywhere-button';
import { Badge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { db } from '@/db';
import { findUserProfile } from '@/db/queries/users';
import { requireUserPage } from '@/lib/auth/session';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('account'))('metaTitle') };
}
export const dynamic = 'force-dynamic';

export default async function AccountPage() {
  const user = await requireUserPage('/account');
  const [profile, t] = await Promise.all([findUserProfile(db, { id: user.id }), getTranslations('account')]);
  return (
    <div className="mx-auto max-w-2xl space-y-6 px-4 py-10">
      <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
      <section aria-labelledby="details-h" className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="details-h" className="text-lg font-semibold">
          {t('details.title')}
        </h2>
        <div className="mt-4">
          <ProfileForm fullName={user.fullName} email={user.email} />
        </div>
      </section>
      <section aria-labelledby="phone-h" className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="phone-h" className="text-lg font-semibold">
          {t('phone.title')}
        </h2>
        {profile?.phoneNumber ? (
          <p className="mt-2 flex flex-wrap items-center gap-2">
            <span className="font-mono">{profile.phoneNumber}</span>
            {profile.phoneVerified ? (
              <Badge tone="success">{t('phone.verified')}</Badge>
            ) : (
              <Badge tone="warning">{t('phone.notVerified')}</Badge>
            )}
          </p>
        ) : (
          <p className="mt-2 text-slate-700">{t('phone.none')}</p>
        )}
      </section>
      {profile?.hasPassword ? (
        <section aria-labelledby="password-h" className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
          <h2 id="password-h" className="text-lg font-semibold">
            {t('password.title')}
          </h2>
          <p className="mt-1 text-slate-700">{t('password.intro')}</p>
          <div className="mt-4">
            <ChangePasswordForm />
          </div>
        </section>
      ) : null}
      <section aria-labelledby="language-h" className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="language-h" className="text-lg font-semibold">
          {t('language.title')}
        </h2>
        <p className="mt-1 text-slate-700">{t('language.intro')}</p>
        <LanguageSwitch className="mt-3" />
      </section>
      <section aria-labelledby="sessions-h" className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="sessions-h" className="text-lg font-semibold">
          {t('devices.title')}
        </h2>
        <p className="mt-1 text-slate-700">{t('devices.intro')}</p>
        <div className="mt-4">
          <SignOutEverywhereButton />
        </div>
      </section>
      <section className="flex flex-wrap gap-3">
        <ButtonLink href="/orders" variant="secondary">
          {t('orders')}
        </ButtonLink>
        <ButtonLink href="/signout" variant="secondary">
          {t('signOut')}
        </ButtonLink>
      </section>
    </div>
  );
}
