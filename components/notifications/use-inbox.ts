'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { NotificationJson } from '@/lib/notifications/present';

export type Inbox = { notifications: NotificationJson[]; unread: number };

async function fetchInbox(limit: number): Promise<Inbox> {
  const res = await fetch(`/api/me/notifications?limit=${limit}`, { cache: 'no-store' });
  if (res.status === 401) throw new Error('Your session has ended. Sign in again to see your notifications.');
  if (!res.ok) throw new Error(`Notifications could not be loaded (the server answered ${res.status}). Retrying…`);
  return (await res.json()) as Inbox;
}

/**
 * The customer's inbox, live: polled every 5 s like the order pages (and on focus), so a new
 * notification shows without a reload.
 */
export function useInbox(limit: number, initial?: Inbox) {
  return useQuery({ queryKey: ['inbox', limit], queryFn: () => fetchInbox(limit), initialData: initial, refetchInterval: 5000 });
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
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const res = await fetch('/api/me/notifications/read-all', { method: 'POST' });
      if (!res.ok) throw new Error('Could not mark them read. Try again.');
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['inbox'] }),
  });
}

export function timeAgo(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return 'just now';
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}
