import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { ButtonLink } from '@/components/ui/button';
import { getCurrentUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Sign out' };

export default async function SignOutPage() {
  const user = await getCurrentUser();
  if (!user) redirect('/');
  return (
    <div className="mx-auto max-w-md px-4 py-12 sm:py-16">
      <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-bold tracking-tight">Sign out</h1>
        <p className="mt-1 text-slate-700">
          You are signed in as <strong>{user.fullName}</strong>
          {user.email ? ` (${user.email})` : ''}.
        </p>
        <div className="mt-6 space-y-3">
          <SignOutButton />
          <ButtonLink href="/" variant="secondary" size="lg" className="w-full">
            Stay signed in
          </ButtonLink>
        </div>
      </div>
    </div>
  );
}
