import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import Link from 'next/link';
import { SignInTabs } from '@/components/auth/sign-in-tabs';
import { Alert } from '@/components/ui/alert';
import { safeCallbackPath } from '@/lib/auth/callback-url';
import { getCurrentUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Sign in' };

const errorMessages: Record<string, string> = {
  CredentialsSignin: 'The email or password is incorrect. Check them and try again.',
  SessionRequired: 'Please sign in to continue.',
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(params.callbackUrl, '/');
  if (await getCurrentUser()) redirect(callbackPath);
  const errorKey = typeof params.error === 'string' ? params.error : undefined;
  const error = errorKey ? (errorMessages[errorKey] ?? 'Sign-in did not work. Please try again.') : undefined;

  return (
    <div className="mx-auto max-w-md px-4 py-12 sm:py-16">
      <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-bold tracking-tight">Sign in to SkyPost</h1>
        <p className="mt-1 text-slate-700">With your email and password, or a code sent to your phone.</p>
        {callbackPath.startsWith('/admin') ? (
          <div className="mt-4">
            <Alert tone="info">The operator portal needs an administrator account.</Alert>
          </div>
        ) : null}
        {error ? (
          <div className="mt-4">
            <Alert>{error}</Alert>
          </div>
        ) : null}
        <div className="mt-6">
          <SignInTabs callbackPath={callbackPath} />
        </div>
        <p className="mt-6 text-sm text-slate-700">
          New to SkyPost?{' '}
          <Link href={`/register?callbackUrl=${encodeURIComponent(callbackPath)}`} className="font-semibold text-brand-700 underline">
            Create an account
          </Link>
        </p>
      </div>
    </div>
  );
}
