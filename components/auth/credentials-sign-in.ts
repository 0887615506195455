'use client';

import { getCsrfToken } from 'next-auth/react';

export type CredentialsSignInResult =
  { ok: true } | { ok: false; reason: 'invalid' | 'rate_limited' | 'error'; retryAfterSeconds?: number };

/**
 * next-auth's credentials sign-in (what `signIn(provider, {redirect: false})` does), but it
 * also reads a 429 from the sign-in limits, with its Retry-After, which signIn() cannot.
 */
export async function credentialsSignIn(
  provider: 'password' | 'phone',
  fields: Record<string, string>,
): Promise<CredentialsSignInResult> {
  const csrfToken = (await getCsrfToken()) ?? '';
  const res = await fetch(`/api/auth/callback/${provider}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, csrfToken, callbackUrl: window.location.href, json: 'true' }),
  });
  if (res.status === 429) {
    const retryAfterSeconds = Number(res.headers.get('retry-after'));
    return {
      ok: false,
      reason: 'rate_limited',
      retryAfterSeconds: Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? retryAfterSeconds : undefined,
    };
  }
  const body = (await res.json().catch(() => null)) as { url?: unknown } | null;
  // next-auth answers a wrong password with 401 and {url: ...?error=CredentialsSignin}.
  if ((!res.ok && res.status !== 401) || typeof body?.url !== 'string') return { ok: false, reason: 'error' };
  const error = new URL(body.url, window.location.origin).searchParams.get('error');
  if (error) return { ok: false, reason: error === 'CredentialsSignin' ? 'invalid' : 'error' };
  return { ok: true };
}

/** `t` is the auth.form translator of the calling form. */
export function tooManyAttemptsMessage(
  t: (key: 'tooMany' | 'tooManyLater', values?: { seconds: number }) => string,
  retryAfterSeconds: number | undefined,
): string {
  return retryAfterSeconds ? t('tooMany', { seconds: retryAfterSeconds }) : t('tooManyLater');
}
