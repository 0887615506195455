import type { NotificationKind } from '@/db/schema';

// What each notification says. One home for the texts, used by the outbox (in-app row) and by
// push (the same title and body), so the bell and the phone never disagree.

export type NotificationFacts = {
  orderId: string;
  good: string;
  address: string;
  city: string;
  cellNumber?: number | null;
  reason?: string | null;
  /** For pickup_code_expiring: when the customer's current pickup code stops working. */
  codeExpiresAt?: Date | null;
  /** For order_ready: the parcel's 6-digit pickup PIN, typed at the locker instead of the QR code. */
  pickupPin?: string | null;
};

export type NotificationMessage = { title: string; body: string; link: string };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * How long a push of each kind is worth delivering, from when the notification was written.
 * FCM is told (android.ttl, apns-expiration, webpush TTL) so a phone that was off does not get
 * it later, and the sender never sends one older than this (it is skipped; the in-app row
 * stays). Progress ("a drone took your order") is stale within minutes: the order page is
 * ahead of it by then. Outcomes the customer must act on or know about keep a day, which is
 * also how long a pickup code lasts; a code-expiry warning is worthless once the code expired
 * (it is queued at most 2 h before).
 */
export const PUSH_TTL_MS: Record<NotificationKind, number> = {
  order_assigned: 10 * MINUTE,
  order_ready: 24 * HOUR,
  order_collected: 24 * HOUR,
  order_cancelled: 24 * HOUR,
  order_failed: 24 * HOUR,
  order_reopened: 24 * HOUR,
  pickup_reminder: 24 * HOUR,
  pickup_code_expiring: 2 * HOUR,
};

/** Progress updates of one order: short-lived, and they replace each other on the device. */
export const PROGRESS_KINDS: readonly NotificationKind[] = ['order_assigned'];

const where = (f: NotificationFacts) => `${f.address}, ${f.city}`;
/** Ends a reason with a full stop unless it already has one. */
const sentence = (s: string) => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);
const hhmm = (d: Date) => `${d.toISOString().slice(11, 16)} UTC`;

export function notificationMessage(kind: NotificationKind, f: NotificationFacts): NotificationMessage {
  const order = `/orders/${f.orderId}`;
  switch (kind) {
    case 'order_assigned':
      return { title: 'A drone took your order', body: `Your ${f.good} is on its way to ${where(f)}. Follow it live.`, link: order };
    case 'order_ready':
      return {
        title: f.cellNumber ? `Ready in cell ${f.cellNumber}` : 'Your parcel is ready',
        body: `Your ${f.good} is in the locker at ${where(f)}${f.cellNumber ? `, cell ${f.cellNumber}` : ''}. Show your pickup code at the locker${f.pickupPin ? `, or type PIN ${f.pickupPin} on its keypad` : ''}.`,
        link: '/pickup',
      };
    case 'order_collected':
      return { title: 'Parcel collected', body: `You collected your ${f.good} from ${where(f)}. Thank you for flying SkyPost.`, link: order };
    case 'order_cancelled':
      return { title: 'Order cancelled', body: `Your order of ${f.good} was cancelled${f.reason ? `: ${sentence(f.reason)}` : '.'} Nothing is charged for it.`, link: order };
    case 'order_failed':
      return {
        title: 'We could not deliver your order',
        body: `Delivery of your ${f.good} to ${where(f)} failed${f.reason ? ` (${f.reason})` : ''}, and the order was cancelled. Please order again.`,
        link: order,
      };
    case 'order_reopened':
      return { title: 'We are trying again', body: `Your order of ${f.good} to ${where(f)} is back on: we will send another drone and tell you when it takes off.`, link: order };
    case 'pickup_reminder':
      return {
        title: 'Your parcel is waiting',
        body: `Your ${f.good} has been waiting for a day at ${where(f)}${f.cellNumber ? `, cell ${f.cellNumber}` : ''}. Collect it with your pickup code.`,
        link: '/pickup',
      };
    case 'pickup_code_expiring':
      return {
        title: 'Your pickup code expires soon',
        body: `Your pickup code for the ${f.good} at ${where(f)} stops working${f.codeExpiresAt ? ` at ${hhmm(f.codeExpiresAt)}` : ' soon'}. Open the pickup page for a fresh one and collect your parcel.`,
        link: '/pickup',
      };
  }
}
