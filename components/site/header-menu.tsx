'use client';

import { usePathname } from 'next/navigation';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/**
 * The site's main navigation. From 640 px up it is a row in the header; below, a disclosure
 * button opens it as a panel under the header (focus moves into it, Escape or a click outside
 * closes it and focus returns to the button), so the header stays one line high on a phone.
 */
export function HeaderMenu({ label, openLabel, closeLabel, children }: { label: string; openLabel: string; closeLabel: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);
  const pathname = usePathname();
  const [shownFor, setShownFor] = useState(pathname);

  // Following a link closes the menu (the header stays mounted across pages).
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>('a[href], button:not([disabled])')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onClick = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!panel.current?.contains(t) && !button.current?.contains(t)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  return (
    <>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((v) => !v)}
        className="flex min-h-10 items-center gap-2 rounded-md px-3 text-sm font-semibold text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700 sm:hidden"
      >
        <svg viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden>
          {open ? <path d="M6 6l12 12M18 6L6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
        </svg>
        <span>{open ? closeLabel : openLabel}</span>
      </button>
      <nav
        ref={panel}
        id={panelId}
        aria-label={label}
        className={`${open ? 'flex' : 'hidden'} absolute inset-x-0 top-full z-[1200] flex-col gap-1 border-b border-slate-200 bg-white px-4 py-3 text-base font-medium shadow-lg sm:static sm:z-auto sm:flex sm:flex-row sm:flex-wrap sm:items-center sm:gap-1 sm:border-0 sm:p-0 sm:text-sm sm:shadow-none`}
      >
        {children}
      </nav>
    </>
  );
}
