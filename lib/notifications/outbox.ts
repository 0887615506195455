import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { goods, notifications, orders, parcelAutomats, users, type NotificationKind } from '@/db/schema';
import type { Locale } from '@/i18n/config';
import { notificationMessage, type NotificationFacts } from './messages';

// The transactional outbox: call enqueue* inside the transaction that makes the change, so the
// notification commits or rolls back with it. The worker's sender delivers the push channel.

/** The channel the notification sender LISTENs on (it also polls, so a lost wake-up only delays). */
export const NOTIFICATIONS_CHANNEL = 'skypost_notifications';

export type Enqueue = {
  userId: string;
  kind: NotificationKind;
  facts: NotificationFacts;
  /** The customer's language (users.locale): the texts are written in it. */
  locale: Locale;
  /** One notification per key, ever: replaying the same event writes nothing. */
  dedupeKey: string;
};

/** Writes one notification; returns its id, or null when this key was already notified. */
export async function enqueueNotification(tx: Tx, n: Enqueue): Promise<string | null> {
  const m = notificationMessage(n.kind, n.facts, n.locale);
  const [row] = await tx
    .insert(notifications)
    .values({
      userId: n.userId,
      orderId: n.facts.orderId,
      kind: n.kind,
      title: m.title.slice(0, 200),
      body: m.body.slice(0, 1000),
      data: { order_id: n.facts.orderId, link: m.link },
      dedupeKey: n.dedupeKey,
    })
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id });
  // Wakes the sender when the transaction commits (NOTIFY is transactional).
  if (row) await tx.execute(sql`select pg_notify(${NOTIFICATIONS_CHANNEL}, ${row.id})`);
  return row?.id ?? null;
}

/**
 * Notifies an order's customer, reading what the message needs (good, locker) from the order.
 * `key` distinguishes repeatable states (e.g. a delivery id for "assigned").
 */
export async function notifyOrderCustomer(
  tx: Tx,
  {
    orderId,
    kind,
    opts = {},
  }: {
    orderId: string;
    kind: NotificationKind;
    opts?: {
      key?: string;
      cellNumber?: number | null;
      reason?: string | null;
      codeExpiresAt?: Date | null;
      pickupPin?: string | null;
      waitingDays?: number | null;
    };
  },
): Promise<string | null> {
  const [o] = await tx
    .select({
      userId: orders.userId,
      locale: users.locale,
      good: goods.name,
      address: parcelAutomats.address,
      city: parcelAutomats.city,
    })
    .from(orders)
    .innerJoin(goods, eq(goods.id, orders.goodId))
    .innerJoin(parcelAutomats, eq(parcelAutomats.id, orders.parcelAutomatId))
    .innerJoin(users, eq(users.id, orders.userId))
    .where(eq(orders.id, orderId));
  if (!o) return null;
  return enqueueNotification(tx, {
    userId: o.userId,
    kind,
    locale: o.locale,
    facts: {
      orderId,
      good: o.good,
      address: o.address,
      city: o.city,
      cellNumber: opts.cellNumber,
      reason: opts.reason,
      codeExpiresAt: opts.codeExpiresAt,
      pickupPin: opts.pickupPin,
      waitingDays: opts.waitingDays,
    },
    dedupeKey: `${kind}:${orderId}${opts.key ? `:${opts.key}` : ''}`,
  });
}
