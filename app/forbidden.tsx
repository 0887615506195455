import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ButtonLink } from '@/components/ui/button';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('errors.forbidden'))('metaTitle') };
}

export default async function Forbidden() {
  const t = await getTranslations('errors.forbidden');
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-lg flex-col items-center justify-center px-4 text-center">
      <p className="text-sm font-semibold text-brand-700">403</p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">{t('title')}</h1>
      <p className="mt-3 text-slate-700">{t('text')}</p>
      <div className="mt-6 flex flex-wrap justify-center gap-3">
        <ButtonLink href="/">{t('home')}</ButtonLink>
        <ButtonLink href="/signout" variant="secondary">
          {t('otherAccount')}
        </ButtonLink>
      </div>
    </main>
  );
}
