'use client';

import { PageLink } from '@/components/ui/page-link';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useRef, useState } from 'react';
import { registerAction } from '@/app/(site)/register/actions';
import { Alert } from '@/components/ui/alert';
import { submitTo } from '@/components/ui/use-form-action';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import type { ActionState } from '@/lib/actions';
import { credentialsSignIn } from '@/components/auth/credentials-sign-in';

export function RegisterForm({ callbackPath }: { callbackPath: string }) {
  const router = useRouter();
  const t = useTranslations('auth.register');
  const tf = useTranslations('auth.fields');
  const password = useRef('');
  const [state, action, pending] = useActionState<ActionState<{ email: string }>, FormData>(registerAction, null);
  const [signInError, setSignInError] = useState<string | null>(null);

  useEffect(() => {
    if (!state?.ok) return;
    // The account exists: sign in with what was just typed and continue.
    void credentialsSignIn('password', { email: state.data.email, password: password.current })
      .catch(() => null)
      .then((res) => {
        if (res?.ok) {
          router.replace(callbackPath);
          router.refresh();
        } else {
          setSignInError(t('signInFailed'));
        }
      });
  }, [state, router, callbackPath, t]);

  const fe = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-5">
      {state && !state.ok ? <Alert title={t('notCreated')}>{state.error}</Alert> : null}
      {state?.ok && !signInError ? <Alert tone="success">{t('created')}</Alert> : null}
      {signInError ? (
        <Alert>
          {signInError}{' '}
          <PageLink href="/signin" className="font-semibold underline">
            {t('goToSignIn')}
          </PageLink>
        </Alert>
      ) : null}
      <TextField
        id="full_name"
        name="full_name"
        label={tf('fullName')}
        autoComplete="name"
        required
        error={fe.full_name}
      />
      <TextField
        id="email"
        name="email"
        type="email"
        label={tf('email')}
        autoComplete="email"
        required
        error={fe.email}
      />
      <TextField
        id="password"
        name="password"
        type="password"
        label={tf('password')}
        autoComplete="new-password"
        required
        minLength={8}
        hint={tf('passwordHint')}
        error={fe.password}
        onChange={(e) => (password.current = e.target.value)}
      />
      <Button type="submit" size="lg" className="w-full" disabled={pending || state?.ok} aria-busy={pending}>
        {pending ? t('submitting') : t('submit')}
      </Button>
    </form>
  );
}
