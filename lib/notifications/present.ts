import type { InboxItem } from '@/db/queries/notifications';

/** A notification as the API and the bell see it. */
export function notificationJson(n: InboxItem) {
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    link: n.data.link,
    order_id: n.data.order_id ?? null,
    created_at: n.createdAt.toISOString(),
    read_at: n.readAt?.toISOString() ?? null,
  };
}

export type NotificationJson = ReturnType<typeof notificationJson>;
