import Link from 'next/link';
import { getCurrentUser } from '@/lib/auth/session';
import { Logo } from '@/components/logo';
import { ButtonLink } from '@/components/ui/button';
import { NotificationBell } from '@/components/notifications/bell';

export async function SiteHeader() {
  const user = await getCurrentUser();
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <Logo />
        <nav aria-label="Main" className="flex flex-wrap items-center gap-1 text-sm font-medium sm:gap-2">
          <Link href="/catalog" className="rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100 hover:text-slate-900">
            Catalog
          </Link>
          {user ? (
            <>
              <Link href="/orders" className="rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100 hover:text-slate-900">
                My orders
              </Link>
              <Link href="/pickup" className="rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100 hover:text-slate-900">
                Pickup code
              </Link>
            </>
          ) : null}
          {user?.role === 'admin' ? (
            <Link href="/admin" className="rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100 hover:text-slate-900">
              Admin
            </Link>
          ) : null}
          {user ? (
            <>
              <NotificationBell />
              <Link href="/account" className="rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100 hover:text-slate-900" title={user.email ?? undefined}>
                Account
              </Link>
              <ButtonLink href="/signout" variant="secondary">
                Sign out
              </ButtonLink>
            </>
          ) : (
            <ButtonLink href="/signin">Sign in</ButtonLink>
          )}
        </nav>
      </div>
    </header>
  );
}
