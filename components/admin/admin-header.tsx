'use client';

import { PageLink } from '@/components/ui/page-link';
import type { ReactNode } from 'react';
import { useDisclosureMenu } from '@/components/ui/use-disclosure-menu';
import { cx } from '@/lib/cx';

type NavItem = { href: string; label: string };

/** The link of the page being shown: exact for the live map (/admin), by prefix for the others. */
function isCurrent(pathname: string, href: string) {
  if (href === '/' || href === '/admin') return pathname === href;
  return pathname === href || pathname.startsWith(`${href}/`);
}

/**
 * The operations portal's header. From 1024 px up: the brand, the operator's name, the language
 * switch and sign-out on one line, the sections on a second. Below, one line (brand and a menu
 * button) whose panel holds the sections, the language switch and sign-out, the same way as the
 * customer site's header (components/site/header-menu.tsx): focus moves into the panel, Escape
 * or a click outside closes it and focus returns to the button, following a link closes it.
 */
export function AdminHeader({
  brand,
  user,
  account,
  nav,
  labels,
}: {
  brand: ReactNode;
  user: string;
  account: ReactNode;
  nav: NavItem[];
  labels: { nav: string; menu: string; closeMenu: string };
}) {
  const { open, setOpen, panelId, button, panel, pathname } = useDisclosureMenu<HTMLDivElement>();

  const links = nav.map(({ href, label }) => {
    const current = isCurrent(pathname, href);
    return (
      <PageLink
        key={href}
        href={href}
        aria-current={current ? 'page' : undefined}
        className={cx(
          'rounded-md px-3 py-3 whitespace-nowrap text-slate-100 hover:bg-white/10 lg:py-1.5',
          'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-white',
          current && 'bg-white/15 font-semibold text-white',
        )}
      >
        {label}
      </PageLink>
    );
  });

  return (
    <header className="relative border-b border-slate-800 bg-slate-900 text-white" data-testid="admin-header">
      <div className="mx-auto flex max-w-7xl items-center justify-between gap-3 px-4 py-2.5">
        {brand}
        <div className="hidden items-center gap-2 text-sm lg:flex">
          <span className="px-2 text-slate-300">{user}</span>
          {account}
        </div>
        <button
          ref={button}
          type="button"
          aria-expanded={open}
          aria-controls={panelId}
          title={open ? labels.closeMenu : undefined}
          onClick={() => setOpen((v) => !v)}
          className={cx(
            'flex min-h-10 shrink-0 items-center gap-2 rounded-md px-3 text-sm font-semibold text-white',
            'hover:bg-white/10 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-white',
            'lg:hidden',
          )}
        >
          <svg
            viewBox="0 0 24 24"
            className="h-5 w-5"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
            aria-hidden
          >
            {open ? <path d="M6 6l12 12M18 6L6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
          </svg>
          {/* One label either way, so the line does not grow when the menu opens; the icon and
              aria-expanded say the state. */}
          <span>{labels.menu}</span>
        </button>
      </div>
      <div
        ref={panel}
        id={panelId}
        className={cx(
          open ? 'flex' : 'hidden',
          'absolute inset-x-0 top-full z-[1200] max-h-[calc(100dvh-4rem)] flex-col gap-3 overflow-y-auto',
          'border-b border-slate-700 bg-slate-900 px-4 py-3 shadow-lg',
          'lg:static lg:z-auto lg:flex lg:max-h-none lg:overflow-visible lg:border-0 lg:p-0 lg:shadow-none',
        )}
      >
        <nav
          aria-label={labels.nav}
          className={cx(
            'mx-auto flex w-full max-w-7xl flex-col gap-1 text-base font-medium lg:flex-row lg:flex-wrap',
            'lg:items-center lg:gap-1 lg:px-2 lg:pb-2 lg:text-sm',
          )}
        >
          {links}
        </nav>
        <div className="flex flex-wrap items-center gap-3 border-t border-slate-700 pt-3 text-sm lg:hidden">
          <span className="text-slate-300">{user}</span>
          {account}
        </div>
      </div>
    </header>
  );
}
