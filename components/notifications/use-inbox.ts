'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import type { NotificationJson } from '@/lib/notifications/present';

export type Inbox = { notifications: NotificationJson[]; unread: number };

/** The notifications.inbox translator, for the messages of failed loads. */
type InboxT = (key: 'sessionEnded' | 'loadFailed', values?: { status: number }) => string;

async function fetchInbox(limit: number, t: InboxT): Promise<Inbox> {
  const res = await fetch(`/api/me/notifications?limit=${limit}`, { cache: 'no-store' });
  if (res.status === 401) throw new Error(t('sessionEnded'));
  if (!res.ok) throw new Error(t('loadFailed', { status: res.status }));
  return (await res.json()) as Inbox;
}

/**
 * The customer's inbox, live: polled every 5 s like the order pages (and on focus), so a new
 * notification shows without a reload.
 */
export function useInbox(limit: number, initial?: Inbox) {
  const t = useTranslations('notifications.inbox');
  return useQuery({
    queryKey: ['inbox', limit],
    queryFn: () => fetchInbox(limit, t),
    initialData: initial,
    refetchInterval: 5000,
  });
}

/** Opening a notification: mark it read, then follow its link. */
export function useOpenNotification() {
  const router = useRouter();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (n: NotificationJson) => {
      // Reading is best effort: the link opens even if the mark fails.
      if (!n.read_at) await fetch(`/api/me/notifications/${n.id}/read`, { method: 'POST' }).catch(() => undefined);
      return n.link;
    },
    onSuccess: async (link) => {
      await queryClient.invalidateQueries({ queryKey: ['inbox'] });
      // Only ever an on-site path (the database checks it too): '//host' would leave the site.
      router.push(/^\/(?![/\\])/.test(link) ? link : '/notifications');
    },
  });
}

export function useMarkAllRead() {
  const t = useTranslations('notifications.inbox');
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const res = await fetch('/api/me/notifications/read-all', { method: 'POST' });
      if (!res.ok) throw new Error(t('markFailed'));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['inbox'] }),
  });
}
