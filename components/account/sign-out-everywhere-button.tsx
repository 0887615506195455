'use client';

import { signOut } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { signOutEverywhereAction } from '@/app/(site)/account/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

export function SignOutEverywhereButton() {
  const t = useTranslations('account');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-3">
      {error ? <Alert title={t('devices.notSignedOut')}>{error}</Alert> : null}
      <Button
        variant="secondary"
        disabled={pending}
        aria-busy={pending}
        onClick={async () => {
          setPending(true);
          setError(null);
          const result = await signOutEverywhereAction().catch(() => null);
          if (!result?.ok) {
            setError(result?.error ?? t('offline'));
            setPending(false);
            return;
          }
          // This device's session is already refused; clear its cookie too.
          await signOut({ callbackUrl: '/signin' });
        }}
      >
        {pending ? t('devices.submitting') : t('devices.submit')}
      </Button>
    </div>
  );
}
