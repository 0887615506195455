'use client';

import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { NotificationItem } from './notification-item';
import { useInbox, useMarkAllRead, useOpenNotification, type Inbox } from './use-inbox';

/** The notifications page: everything, live, with "mark all as read". */
export function InboxList({ initial }: { initial: Inbox }) {
  const t = useTranslations('notifications.inbox');
  const { data = initial, error } = useInbox(100, initial);
  const open = useOpenNotification();
  const markAll = useMarkAllRead();
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-slate-700" aria-live="polite">
          {data.unread ? t('unread', { count: data.unread }) : t('allRead')}
        </p>
        <Button
          variant="secondary"
          disabled={!data.unread || markAll.isPending}
          aria-busy={markAll.isPending}
          onClick={() => markAll.mutate()}
        >
          {t('markAll')}
        </Button>
      </div>
      {error ? <Alert>{error.message}</Alert> : null}
      {markAll.error ? <Alert>{markAll.error.message}</Alert> : null}
      {data.notifications.length === 0 ? (
        <p className="rounded-xl border border-slate-200 bg-white p-6 text-center text-slate-700">{t('empty')}</p>
      ) : (
        <ul
          className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white p-2 shadow-sm"
          aria-label={t('listLabel')}
        >
          {data.notifications.map((n) => (
            <li key={n.id} className="py-1">
              <NotificationItem n={n} busy={open.isPending} onOpen={(x) => open.mutate(x)} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
