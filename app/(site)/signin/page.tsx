import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { PageLink } from '@/components/ui/page-link';
import { getTranslations } from 'next-intl/server';
import { SiteIntlProvider } from '@/components/intl/site-intl-provider';
import { SignInTabs } from '@/components/auth/sign-in-tabs';
import { Alert } from '@/components/ui/alert';
import { safeCallbackPath } from '@/lib/auth/callback-url';
import { getCurrentUser } from '@/lib/auth/session';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.signIn'))('metaTitle') };
}

const KNOWN_ERRORS = ['CredentialsSignin', 'SessionRequired'] as const;

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(params.callbackUrl, '/');
  if (await getCurrentUser()) redirect(callbackPath);
  const t = await getTranslations('auth.signIn');
  const errorKey = typeof params.error === 'string' ? params.error : undefined;
  const known = KNOWN_ERRORS.find((k) => k === errorKey);
  const error = errorKey ? t(`errors.${known ?? 'other'}`) : undefined;

  return (
    <div className="mx-auto max-w-md px-4 py-12 sm:py-16">
      <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-bold tracking-tight">{t('title')}</h1>
        <p className="mt-1 text-slate-700">{t('intro')}</p>
        {callbackPath.startsWith('/admin') ? (
          <div className="mt-4">
            <Alert tone="info">{t('operators')}</Alert>
          </div>
        ) : null}
        {error ? (
          <div className="mt-4">
            <Alert>{error}</Alert>
          </div>
        ) : null}
        <div className="mt-6">
          <SiteIntlProvider>
            <SignInTabs callbackPath={callbackPath} />
          </SiteIntlProvider>
        </div>
        <p className="mt-6 text-sm text-slate-700">
          {t('newHere')}{' '}
          <PageLink
            href={`/register?callbackUrl=${encodeURIComponent(callbackPath)}`}
            className="font-semibold text-brand-700 underline"
          >
            {t('createAccount')}
          </PageLink>
        </p>
      </div>
    </div>
  );
}
