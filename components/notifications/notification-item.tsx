'use client';

import { useFormatter, useNow, useTranslations } from 'next-intl';
import type { NotificationJson } from '@/lib/notifications/present';
import { cx } from '@/lib/cx';

/** One notification as a button that opens it; unread ones are marked for sight and for screen readers. */
export function NotificationItem({
  n,
  onOpen,
  busy,
}: {
  n: NotificationJson;
  onOpen: (n: NotificationJson) => void;
  busy: boolean;
}) {
  const t = useTranslations('notifications.inbox');
  const format = useFormatter();
  // The request's time at first (the same on the server and in the browser), then every minute.
  const now = useNow({ updateInterval: 60_000 });
  return (
    <button
      type="button"
      onClick={() => onOpen(n)}
      disabled={busy}
      className={cx(
        'block w-full rounded-lg px-3 py-2 text-left hover:bg-slate-100',
        'focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-brand-700',
        !n.read_at && 'bg-brand-50',
      )}
    >
      <span className="flex items-start gap-2">
        {n.read_at ? (
          <span className="mt-1.5 h-2 w-2 shrink-0" aria-hidden />
        ) : (
          <span className="mt-1.5 h-2 w-2 shrink-0 rounded-full bg-brand-600" aria-hidden />
        )}
        <span className="min-w-0">
          <span className="block font-semibold text-slate-900">
            {n.read_at ? null : <span className="sr-only">{t('unreadPrefix')}</span>}
            {n.title}
          </span>
          <span className="block text-sm text-slate-700">{n.body}</span>
          <time
            dateTime={n.created_at}
            title={format.dateTime(new Date(n.created_at), 'dateTime')}
            className="block text-xs text-slate-600"
          >
            {format.relativeTime(new Date(n.created_at), now)}
          </time>
        </span>
      </span>
    </button>
  );
}
