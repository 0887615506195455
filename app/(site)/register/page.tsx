import type { Metadata } from 'next';
import { PageLink } from '@/components/ui/page-link';
import { getTranslations } from 'next-intl/server';
import { SiteIntlProvider } from '@/components/intl/site-intl-provider';
import { redirect } from 'next/navigation';
import { RegisterForm } from '@/components/auth/register-form';
import { safeCallbackPath } from '@/lib/auth/callback-url';
import { getCurrentUser } from '@/lib/auth/session';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.register'))('metaTitle') };
}

export default async function RegisterPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const callbackPath = safeCallbackPath((await searchParams).callbackUrl, '/catalog');
  if (await getCurrentUser()) redirect(callbackPath);
  const t = await getTranslations('auth.register');
  return (
    <div className="mx-auto max-w-md px-4 py-12 sm:py-16">
      <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-bold tracking-tight">{t('title')}</h1>
        <p className="mt-1 text-slate-700">{t('intro')}</p>
        <div className="mt-6">
          <SiteIntlProvider>
            <RegisterForm callbackPath={callbackPath} />
          </SiteIntlProvider>
        </div>
        <p className="mt-6 text-sm text-slate-700">
          {t('haveAccount')}{' '}
          <PageLink
            href={`/signin?callbackUrl=${encodeURIComponent(callbackPath)}`}
            className="font-semibold text-brand-700 underline"
          >
            {t('signIn')}
          </PageLink>
        </p>
      </div>
    </div>
  );
}
