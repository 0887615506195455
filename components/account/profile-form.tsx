'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { updateProfileAction } from '@/app/(site)/account/actions';
import { Alert } from '@/components/ui/alert';
import { submitTo } from '@/components/ui/use-form-action';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import type { ActionState } from '@/lib/actions';

export function ProfileForm({ fullName, email }: { fullName: string; email: string | null }) {
  const [state, action, pending] = useActionState<ActionState<{ fullName: string; email: string | null }>, FormData>(
    updateProfileAction,
    null,
  );
  const t = useTranslations('account.details');
  const tf = useTranslations('auth.fields');
  const fe = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-4">
      <div role="status" aria-live="polite">
        {state?.ok ? <Alert tone="success">{t('saved')}</Alert> : null}
      </div>
      {state && !state.ok ? <Alert title={t('notSaved')}>{state.error}</Alert> : null}
      <TextField
        id="full_name"
        name="full_name"
        label={tf('fullName')}
        autoComplete="name"
        defaultValue={fullName}
        required
        error={fe.full_name}
      />
      <TextField
        id="email"
        name="email"
        type="email"
        label={tf('email')}
        autoComplete="email"
        defaultValue={email ?? ''}
        required
        error={fe.email}
      />
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? t('saving') : t('save')}
      </Button>
    </form>
  );
}
