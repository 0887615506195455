'use client';

import { useErrorTexts } from '@/components/intl/error-texts';
import { Button, ButtonLink } from '@/components/ui/button';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useErrorTexts();
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-lg flex-col items-center justify-center px-4 text-center">
      <h1 className="text-3xl font-bold tracking-tight">{t.title}</h1>
      <p className="mt-3 text-slate-700">{t.text}</p>
      {error.digest ? (
        <p className="mt-2 font-mono text-sm text-slate-600">{t.reference.replace('{digest}', error.digest)}</p>
      ) : null}
      <div className="mt-6 flex flex-wrap justify-center gap-3">
        <Button onClick={reset}>{t.retry}</Button>
        <ButtonLink href="/" variant="secondary">
          {t.home}
        </ButtonLink>
      </div>
    </main>
  );
}
