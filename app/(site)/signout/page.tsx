import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { ButtonLink } from '@/components/ui/button';
import { getCurrentUser } from '@/lib/auth/session';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.signOut'))('metaTitle') };
}

export default async function SignOutPage() {
  const user = await getCurrentUser();
  if (!user) redirect('/');
  const t = await getTranslations('auth.signOut');
  const strong = (chunks: ReactNode) => <strong>{chunks}</strong>;
  return (
    <div className="mx-auto max-w-md px-4 py-12 sm:py-16">
      <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-bold tracking-tight">{t('title')}</h1>
        <p className="mt-1 text-slate-700">
          {user.email
            ? t.rich('signedInAsEmail', { name: user.fullName, email: user.email, b: strong })
            : t.rich('signedInAs', { name: user.fullName, b: strong })}
        </p>
        <div className="mt-6 space-y-3">
          <SignOutButton />
          <ButtonLink href="/" variant="secondary" size="lg" className="w-full">
            {t('stay')}
          </ButtonLink>
        </div>
      </div>
    </div>
  );
}
