'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useRef, useState } from 'react';
import { changePasswordAction } from '@/app/(site)/account/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { submitTo } from '@/components/ui/use-form-action';
import type { ActionState } from '@/lib/actions';
import { credentialsSignIn } from '@/components/auth/credentials-sign-in';

export function ChangePasswordForm() {
  const router = useRouter();
  const t = useTranslations('account.password');
  const tf = useTranslations('auth.fields');
  const newPassword = useRef('');
  const [state, action, pending] = useActionState<ActionState<{ email: string | null }>, FormData>(
    changePasswordAction,
    null,
  );
  const [signInFailed, setSignInFailed] = useState(false);

  useEffect(() => {
    if (!state?.ok) return;
    // The change signed out every session, this one too: sign this device in again with the new password.
    const email = state.data.email;
    if (!email) {
      router.replace('/signin?callbackUrl=%2Faccount');
      return;
    }
    void credentialsSignIn('password', { email, password: newPassword.current })
      .catch(() => null)
      .then((res) => {
        if (res?.ok) router.refresh();
        else setSignInFailed(true);
      });
  }, [state, router]);

  const fe = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-4">
      <div role="status" aria-live="polite">
        {state?.ok && !signInFailed ? <Alert tone="success">{t('changed')}</Alert> : null}
      </div>
      {signInFailed ? <Alert>{t('changedSignIn')}</Alert> : null}
      {state && !state.ok ? <Alert title={t('notChanged')}>{state.error}</Alert> : null}
      <TextField
        id="current_password"
        name="current_password"
        type="password"
        label={t('current')}
        autoComplete="current-password"
        required
        error={fe.current_password}
      />
      <TextField
        id="new_password"
        name="new_password"
        type="password"
        label={t('new')}
        autoComplete="new-password"
        required
        minLength={8}
        hint={tf('passwordHint')}
        error={fe.new_password}
        onChange={(e) => (newPassword.current = e.target.value)}
      />
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? t('submitting') : t('submit')}
      </Button>
    </form>
  );
}
