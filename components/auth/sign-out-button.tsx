'use client';

import { signOut } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Button } from '@/components/ui/button';

export function SignOutButton() {
  const t = useTranslations('auth.signOut');
  const [pending, setPending] = useState(false);
  return (
    <Button
      size="lg"
      className="w-full"
      disabled={pending}
      aria-busy={pending}
      onClick={async () => {
        setPending(true);
        await signOut({ callbackUrl: '/' });
      }}
    >
      {pending ? t('submitting') : t('submit')}
    </Button>
  );
}
