import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { InboxList } from '@/components/notifications/inbox-list';
import { db } from '@/db';
import { listNotificationsForUser } from '@/db/queries/notifications';
import { requireUserPage } from '@/lib/auth/session';
import { notificationJson } from '@/lib/notifications/present';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('notifications.inbox'))('metaTitle') };
}
export const dynamic = 'force-dynamic';

export default async function NotificationsPage() {
  const user = await requireUserPage('/notifications');
  const [{ items, unread }, t] = await Promise.all([
    listNotificationsForUser(db, { userId: user.id, limit: 100 }),
    getTranslations('notifications.inbox'),
  ]);
  return (
    <div className="mx-auto max-w-3xl space-y-6 px-4 py-8">
      <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
      <InboxList initial={{ notifications: items.map(notificationJson), unread }} />
    </div>
  );
}
