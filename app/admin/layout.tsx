import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Logo } from '@/components/logo';
import { LanguageSwitch } from '@/components/site/language-switch';
import { ButtonLink } from '@/components/ui/button';
import { requireAdminPage } from '@/lib/auth/session';

export const metadata: Metadata = { title: { default: 'Operations', template: '%s · SkyPost operations' } };

const NAV = [
  ['/admin', 'Live map'],
  ['/admin/overview', 'Overview'],
  ['/admin/orders', 'Orders'],
  ['/admin/drones', 'Drones'],
  ['/admin/automats', 'Lockers'],
  ['/admin/goods', 'Goods'],
  ['/admin/users', 'Users'],
  ['/admin/alerts', 'Alerts'],
  ['/admin/analytics', 'Analytics'],
  ['/admin/audit', 'Audit log'],
  ['/', 'Customer site'],
] as const;

export default async function AdminLayout({ children }: { children: ReactNode }) {
  // Each admin page checks again itself; this keeps the chrome away from non-admins.
  const admin = await requireAdminPage('/admin');
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="border-b border-slate-800 bg-slate-900 text-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <div className="flex items-center gap-3 [&_a]:text-white">
            <Logo href="/admin" />
            <span className="rounded bg-white/10 px-2 py-0.5 text-xs font-semibold tracking-wide uppercase">Operations</span>
          </div>
          <nav aria-label="Admin" className="flex flex-wrap items-center gap-2 text-sm">
            {NAV.map(([href, label]) => (
              <Link key={href} href={href} className="rounded-md px-3 py-2 text-slate-100 hover:bg-white/10">
                {label}
              </Link>
            ))}
            <LanguageSwitch tone="dark" />
            <span className="hidden px-2 text-slate-300 md:inline">{admin.fullName}</span>
            <ButtonLink href="/signout" variant="inverse">
              Sign out
            </ButtonLink>
          </nav>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-8">
        {children}
      </main>
    </div>
  );
}
