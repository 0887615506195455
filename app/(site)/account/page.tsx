import type { Metadata } from 'next';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { ProfileForm } from '@/components/account/profile-form';
import { SignOutEverywhereButton } from '@/components/account/sign-out-everywhere-button';
import { Badge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { db } from '@/db';
import { findUserProfile } from '@/db/queries/users';
import { requireUserPage } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Account' };
export const dynamic = 'force-dynamic';

export default async function AccountPage() {
  const user = await requireUserPage('/account');
  const profile = await findUserProfile(db, { id: user.id });
  return (
    <div className="mx-auto max-w-2xl space-y-6 px-4 py-10">
      <h1 className="text-3xl font-bold tracking-tight">Your account</h1>
      <section aria-labelledby="details-h" className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="details-h" className="text-lg font-semibold">
          Personal details
        </h2>
        <div className="mt-4">
          <ProfileForm fullName={user.fullName} email={user.email} />
        </div>
      </section>
      <section aria-labelledby="phone-h" className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="phone-h" className="text-lg font-semibold">
          Phone
        </h2>
        {profile?.phoneNumber ? (
          <p className="mt-2 flex flex-wrap items-center gap-2">
            <span className="font-mono">{profile.phoneNumber}</span>
            {profile.phoneVerified ? <Badge tone="success">verified</Badge> : <Badge tone="warning">not verified</Badge>}
          </p>
        ) : (
          <p className="mt-2 text-slate-700">No phone number yet. Sign in once with “Phone and SMS code” to add and verify one.</p>
        )}
      </section>
      {profile?.hasPassword ? (
        <section aria-labelledby="password-h" className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
          <h2 id="password-h" className="text-lg font-semibold">
            Password
          </h2>
          <p className="mt-1 text-slate-700">Changing it signs you out on every other device.</p>
          <div className="mt-4">
            <ChangePasswordForm />
          </div>
        </section>
      ) : null}
      <section aria-labelledby="sessions-h" className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="sessions-h" className="text-lg font-semibold">
          Devices
        </h2>
        <p className="mt-1 text-slate-700">Lost a phone, or signed in on a shared computer? Sign out on every device, this one included.</p>
        <div className="mt-4">
          <SignOutEverywhereButton />
        </div>
      </section>
      <section className="flex flex-wrap gap-3">
        <ButtonLink href="/orders" variant="secondary">
          My orders
        </ButtonLink>
        <ButtonLink href="/signout" variant="secondary">
          Sign out
        </ButtonLink>
      </section>
    </div>
  );
}
