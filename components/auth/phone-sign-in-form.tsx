'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { credentialsSignIn, tooManyAttemptsMessage } from './credentials-sign-in';

type ErrorBody = { error?: { code?: string; message?: string; fields?: Record<string, string> } };

export function PhoneSignInForm({ callbackPath }: { callbackPath: string }) {
  const router = useRouter();
  const [step, setStep] = useState<'phone' | 'code'>('phone');
  const [phone, setPhone] = useState('');
  const [expiresAt, setExpiresAt] = useState<Date | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function requestCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const phoneNumber = String(data.get('phone_number') ?? '');
    const fullName = String(data.get('full_name') ?? '').trim();
    setPending(true);
    setError(null);
    setFieldErrors({});
    try {
      const res = await fetch('/api/auth/phone/code', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone_number: phoneNumber, ...(fullName ? { full_name: fullName } : {}) }),
      });
      const body = (await res.json().catch(() => ({}))) as ErrorBody & { expires_at?: string };
      if (!res.ok) {
        setFieldErrors(body.error?.fields ?? {});
        setError(body.error?.message ?? 'We could not send a code. Please try again.');
        return;
      }
      setPhone(phoneNumber);
      setExpiresAt(body.expires_at ? new Date(body.expires_at) : null);
      setStep('code');
    } catch {
      setError('We could not reach SkyPost. Check your connection and try again.');
    } finally {
      setPending(false);
    }
  }

  async function verify(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '').trim();
    if (!/^\d{6}$/.test(code)) {
      setFieldErrors({ code: 'The code has 6 digits' });
      return;
    }
    setPending(true);
    setError(null);
    setFieldErrors({});
    const res = await credentialsSignIn('phone', { phone_number: phone, code }).catch(() => null);
    setPending(false);
    if (!res?.ok) {
      setError(
        res?.reason === 'rate_limited'
          ? tooManyAttemptsMessage(res.retryAfterSeconds)
          : res?.reason === 'invalid'
            ? 'That code is not valid. Check the SMS, or request a new code: after 5 wrong tries or 5 minutes a code stops working.'
            : 'We could not sign you in right now. Please try again in a moment.',
      );
      return;
    }
    router.replace(callbackPath);
    router.refresh();
  }

  if (step === 'phone') {
    return (
      <form onSubmit={requestCode} noValidate className="space-y-5">
        {error ? <Alert title="No code sent">{error}</Alert> : null}
        <TextField id="phone_number" name="phone_number" type="tel" label="Phone number" autoComplete="tel" placeholder="+79991234567" required hint="International format, starting with +." error={fieldErrors.phone_number} />
        <TextField id="phone_full_name" name="full_name" label="Full name (new accounts)" autoComplete="name" error={fieldErrors.full_name} />
        <Button type="submit" size="lg" className="w-full" disabled={pending} aria-busy={pending}>
          {pending ? 'Sending…' : 'Send me a code'}
        </Button>
      </form>
    );
  }
  return (
    <form onSubmit={verify} noValidate className="space-y-5">
      <Alert tone="info">
        We sent a 6-digit code to <strong>{phone}</strong>
        {expiresAt ? `. It works until ${expiresAt.toLocaleTimeString()}.` : '.'}
      </Alert>
      {error ? <Alert title="Sign-in failed">{error}</Alert> : null}
      <TextField id="code" name="code" label="Code from the SMS" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required error={fieldErrors.code} />
      <Button type="submit" size="lg" className="w-full" disabled={pending} aria-busy={pending}>
        {pending ? 'Checking…' : 'Sign in'}
      </Button>
      <Button type="button" variant="ghost" className="w-full" onClick={() => setStep('phone')}>
        Use another number or send a new code
      </Button>
    </form>
  );
}
