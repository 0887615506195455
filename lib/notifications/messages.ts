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
};

export type NotificationMessage = { title: string; body: string; link: string };

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
        body: `Your ${f.good} is in the locker at ${where(f)}${f.cellNumber ? `, cell ${f.cellNumber}` : ''}. Your pickup code is ready: show it at the locker.`,
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
