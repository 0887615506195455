'use client';

import { PageLink } from '@/components/ui/page-link';
import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState } from 'react';
import { NotificationItem } from './notification-item';
import { useInbox, useOpenNotification } from './use-inbox';
import { cx } from '@/lib/cx';

/** The header bell: unread count, and the latest notifications in a panel. */
export function NotificationBell() {
  const t = useTranslations('notifications.inbox');
  const [open, setOpen] = useState(false);
  const { data, error } = useInbox(8);
  const openNotification = useOpenNotification();
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const unread = data?.unread ?? 0;

  useEffect(() => {
    if (!open) return;
    const el = root.current;
    // Escape closes and gives focus back to the bell; clicking or tabbing away closes.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onClick = (e: MouseEvent) => el && !el.contains(e.target as Node) && setOpen(false);
    const onFocusOut = (e: FocusEvent) =>
      el && e.relatedTarget instanceof Node && !el.contains(e.relatedTarget) && setOpen(false);
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    el?.addEventListener('focusout', onFocusOut);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
      el?.removeEventListener('focusout', onFocusOut);
    };
  }, [open]);

  return (
    <div className="relative" ref={root}>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((v) => !v)}
        data-testid="notification-bell"
        className={cx(
          'relative flex min-h-10 min-w-10 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100',
          'hover:text-slate-900',
        )}
      >
        <svg viewBox="0 0 24 24" className="h-6 w-6" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
          <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" strokeLinecap="round" strokeLinejoin="round" />
          <path d="M13.7 21a2 2 0 0 1-3.4 0" strokeLinecap="round" />
        </svg>
        <span className="sr-only">{unread ? t('bellUnread', { count: unread }) : t('bell')}</span>
        {unread ? (
          <span
            className={cx(
              'absolute -top-0.5 -right-0.5 min-w-5 rounded-full bg-red-700 px-1 text-center text-xs leading-5',
              'font-bold text-white',
            )}
            data-testid="notification-unread"
            aria-hidden
          >
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          id={panelId}
          role="region"
          aria-label={t('panel')}
          className={cx(
            'absolute right-0 z-[1100] mt-2 w-[min(22rem,calc(100vw-2rem))] rounded-xl border border-slate-200',
            'bg-white p-2 shadow-lg',
          )}
        >
          {error && !data ? <p className="p-3 text-sm text-red-800">{error.message}</p> : null}
          {data && data.notifications.length === 0 ? <p className="p-3 text-sm text-slate-700">{t('empty')}</p> : null}
          <ul className="max-h-96 space-y-1 overflow-y-auto">
            {data?.notifications.map((n) => (
              <li key={n.id}>
                <NotificationItem
                  n={n}
                  busy={openNotification.isPending}
                  onOpen={(x) => {
                    setOpen(false);
                    openNotification.mutate(x);
                  }}
                />
              </li>
            ))}
          </ul>
          <PageLink
            href="/notifications"
            onClick={() => setOpen(false)}
            className={cx(
              'mt-1 block rounded-lg px-3 py-2 text-center text-sm font-semibold text-brand-700 hover:bg-slate-100',
            )}
          >
            {t('all')}
          </PageLink>
        </div>
      ) : null}
    </div>
  );
}
