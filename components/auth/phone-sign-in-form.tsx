'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import type { ErrorCode } from '@/lib/errors';
import { phoneCodeRequestSchema } from '@/lib/validation/accounts';
import { localizeAppError, localizeFieldErrors } from '@/lib/validation/localize';
import { credentialsSignIn, tooManyAttemptsMessage } from './credentials-sign-in';

type ErrorBody = { error?: { code?: ErrorCode; message?: string; fields?: Record<string, string> } };

export function PhoneSignInForm({ callbackPath }: { callbackPath: string }) {
  const router = useRouter();
  const format = useFormatter();
  const t = useTranslations('auth.phone');
  const tForm = useTranslations('auth.form');
  const tf = useTranslations('auth.fields');
  const tAll = useTranslations();
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
    setError(null);
    // The same rules as the API, checked here so that they read in the page's language.
    const parsed = phoneCodeRequestSchema.safeParse({
      phone_number: phoneNumber,
      ...(fullName ? { full_name: fullName } : {}),
    });
    if (!parsed.success) {
      setFieldErrors(localizeFieldErrors(parsed.error, tAll));
      return;
    }
    setPending(true);
    setFieldErrors({});
    try {
      const res = await fetch('/api/auth/phone/code', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone_number: phoneNumber, ...(fullName ? { full_name: fullName } : {}) }),
      });
      const body = (await res.json().catch(() => ({}))) as ErrorBody & { expires_at?: string };
      if (!res.ok) {
        // The API's messages are English (its contract); the page says what the code means.
        const code = body.error?.code;
        if (code) {
          const localized = localizeAppError(
            {
              code,
              message: body.error?.message ?? t('sendFailed'),
              fields: body.error?.fields,
              headers: { 'Retry-After': res.headers.get('retry-after') ?? '' },
            },
            tAll,
          );
          setFieldErrors(localized.fields);
          setError(localized.message);
        } else setError(t('sendFailed'));
        return;
      }
      setPhone(phoneNumber);
      setExpiresAt(body.expires_at ? new Date(body.expires_at) : null);
      setStep('code');
    } catch {
      setError(tForm('offline'));
    } finally {
      setPending(false);
    }
  }

  async function verify(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '').trim();
    if (!/^\d{6}$/.test(code)) {
      setFieldErrors({ code: t('codeDigits') });
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
          ? tooManyAttemptsMessage(tForm, res.retryAfterSeconds)
          : res?.reason === 'invalid'
            ? t('invalidCode')
            : tForm('unavailable'),
      );
      return;
    }
    router.replace(callbackPath);
    router.refresh();
  }

  if (step === 'phone') {
    return (
      <form onSubmit={requestCode} noValidate className="space-y-5">
        {error ? <Alert title={t('noCode')}>{error}</Alert> : null}
        <TextField
          id="phone_number"
          name="phone_number"
          type="tel"
          label={tf('phone')}
          autoComplete="tel"
          placeholder="+79991234567"
          required
          hint={tf('phoneHint')}
          error={fieldErrors.phone_number}
        />
        <TextField
          id="phone_full_name"
          name="full_name"
          label={tf('phoneFullName')}
          autoComplete="name"
          error={fieldErrors.full_name}
        />
        <Button type="submit" size="lg" className="w-full" disabled={pending} aria-busy={pending}>
          {pending ? t('sending') : t('send')}
        </Button>
      </form>
    );
  }
  return (
    <form onSubmit={verify} noValidate className="space-y-5">
      <Alert tone="info">
        {expiresAt
          ? t.rich('sentUntil', {
              phone,
              time: format.dateTime(expiresAt, 'time'),
              b: (chunks) => <strong>{chunks}</strong>,
            })
          : t.rich('sent', { phone, b: (chunks) => <strong>{chunks}</strong> })}
      </Alert>
      {error ? <Alert title={tForm('failed')}>{error}</Alert> : null}
      <TextField
        id="code"
        name="code"
        label={tf('code')}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        required
        error={fieldErrors.code}
      />
      <Button type="submit" size="lg" className="w-full" disabled={pending} aria-busy={pending}>
        {pending ? t('checking') : tForm('submit')}
      </Button>
      <Button type="button" variant="ghost" className="w-full" onClick={() => setStep('phone')}>
        {t('another')}
      </Button>
    </form>
  );
}
