'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { fieldErrorsFromZod } from '@/lib/validation/form';
import { signInSchema } from '@/lib/validation/auth';
import { credentialsSignIn, tooManyAttemptsMessage } from './credentials-sign-in';

type Errors = Partial<Record<'email' | 'password', string>>;

export function SignInForm({ callbackPath }: { callbackPath: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const parsed = signInSchema.safeParse({ email: data.get('email'), password: data.get('password') });
    if (!parsed.success) {
      setErrors(fieldErrorsFromZod(parsed.error));
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
            ? tooManyAttemptsMessage(result.retryAfterSeconds)
            : result.reason === 'invalid'
              ? 'The email or password is incorrect. Check them and try again.'
              : 'We could not sign you in right now. Please try again in a moment.',
        );
        return;
      }
      router.replace(callbackPath);
      router.refresh();
    } catch {
      setFormError('We could not reach SkyPost. Check your connection and try again.');
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-describedby={formError ? 'signin-error' : undefined}>
      {formError ? (
        <div id="signin-error">
          <Alert title="Sign-in failed">{formError}</Alert>
        </div>
      ) : null}
      <TextField id="email" name="email" type="email" label="Email" autoComplete="email" required error={errors.email} />
      <TextField id="password" name="password" type="password" label="Password" autoComplete="current-password" required error={errors.password} />
      <Button type="submit" size="lg" className="w-full" disabled={pending} aria-busy={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
