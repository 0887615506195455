'use client';

import type { ReactNode } from 'react';
import { useDisclosureMenu } from '@/components/ui/use-disclosure-menu';
import { cx } from '@/lib/cx';

/**
 * The site's main navigation. From 640 px up it is a row in the header; below, a disclosure
 * button opens it as a panel under the header (focus moves into it, Escape or a click outside
 * closes it and focus returns to the button), so the header stays one line high on a phone.
 */
export function HeaderMenu({
  label,
  openLabel,
  closeLabel,
  children,
}: {
  label: string;
  openLabel: string;
  closeLabel: string;
  children: ReactNode;
}) {
  const { open, setOpen, panelId, button, panel } = useDisclosureMenu<HTMLElement>();

  return (
    <>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((v) => !v)}
        className={cx(
          'flex min-h-10 items-center gap-2 rounded-md px-3 text-sm font-semibold text-slate-800 hover:bg-slate-100',
          'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700 sm:hidden',
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
        <span>{open ? closeLabel : openLabel}</span>
      </button>
      <nav
        ref={panel}
        id={panelId}
        aria-label={label}
        className={cx(
          open ? 'flex' : 'hidden',
          'absolute inset-x-0 top-full z-[1200] flex-col gap-1 border-b border-slate-200 bg-white px-4 py-3',
          'text-base font-medium shadow-lg',
          'sm:static sm:z-auto sm:flex sm:flex-row sm:flex-wrap sm:items-center sm:gap-1 sm:border-0 sm:p-0 sm:text-sm',
          'sm:shadow-none',
        )}
      >
        {children}
      </nav>
    </>
  );
}
