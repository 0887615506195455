'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { localizeFieldErrors } from '@/lib/validation/localize';
import { signInSchema } from '@/lib/validation/auth';
import { credentialsSignIn, tooManyAttemptsMessage } from './credentials-sign-in';

type Errors = Partial<Record<'email' | 'password', string>>;

export function SignInForm({ callbackPath }: { callbackPath: string }) {
  const router = useRouter();
  const t = useTranslations('auth.form');
  const tf = useTranslations('auth.fields');
  const tAll = useTranslations();
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const parsed = signInSchema.safeParse({ email: data.get('email'), password: data.get('password') });
    if (!parsed.success) {
      setErrors(localizeFieldErrors(parsed.error, tAll));
      setFormError(null);
      return;
    }
    setErrors({});
    setFormError(null);
    setPending(true);
    try {
      const result = await credentialsSignIn('password', { email: parsed.data.email, password: parsed.data.password });
      if (!result.ok) {
        setFormError(
          result.reason === 'rate_limited'
            ? tooManyAttemptsMessage(t, result.retryAfterSeconds)
            : result.reason === 'invalid'
              ? t('invalid')
              : t('unavailable'),
        );
        return;
      }
      router.replace(callbackPath);
      router.refresh();
    } catch {
      setFormError(t('offline'));
    } finally {
      setPending(false);
    }
  }

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="space-y-5"
      aria-describedby={formError ? 'signin-error' : undefined}
    >
      {formError ? (
        <div id="signin-error">
          <Alert title={t('failed')}>{formError}</Alert>
        </div>
      ) : null}
      <TextField
        id="email"
        name="email"
        type="email"
        label={tf('email')}
        autoComplete="email"
        required
        error={errors.email}
      />
      <TextField
        id="password"
        name="password"
        type="password"
        label={tf('password')}
        autoComplete="current-password"
        required
        error={errors.password}
      />
      <Button type="submit" size="lg" className="w-full" disabled={pending} aria-busy={pending}>
        {pending ? t('submitting') : t('submit')}
      </Button>
    </form>
  );
}
