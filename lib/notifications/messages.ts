import { createTranslator, type AbstractIntlMessages, type TranslationValues } from 'next-intl';
import type { NotificationKind } from '@/db/schema';
import { env } from '@/env';
import type { Locale } from '@/i18n/config';
import { formats } from '@/i18n/formats';
import { loadMessages } from '@/i18n/messages';

// What each notification says. One home for the texts, used by the outbox (in-app row) and by
// push (the same title and body), so the bell and the phone never disagree. The texts are in
// messages/<locale>/notifications.json; each customer gets them in their account's language
// (users.locale), with times in the deployment's zone.

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
  /** For pickup_reminder: whole days the parcel has waited in the locker (at least 1). */
  waitingDays?: number | null;
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

/** Ends a reason with a full stop unless it already has one. */
const sentence = (s: string) => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

/** Keys are built from the kind at run time; tests/i18n.test.ts checks every key and argument. */
type Translate = (key: string, values?: TranslationValues) => string;

function makeTranslator(locale: Locale, messages: AbstractIntlMessages): Translate {
  // Untyped catalog (read from disk): next-intl's default translator type takes any key.
  const t: ReturnType<typeof createTranslator> = createTranslator({
    locale,
    messages: messages.notifications as AbstractIntlMessages,
    timeZone: env().APP_TIME_ZONE,
    formats,
  });
  return (key, values) => t(key, values);
}
// One translator per loaded catalog: it keeps its parsed messages, and a batch of assignments
// (up to 25 notifications in one transaction) parses each text once.
const translators = new WeakMap<AbstractIntlMessages, Translate>();

function translator(locale: Locale) {
  const messages = loadMessages(locale);
  let t = translators.get(messages);
  if (!t) {
    t = makeTranslator(locale, messages);
    translators.set(messages, t);
  }
  return t;
}

export function notificationMessage(
  kind: NotificationKind,
  f: NotificationFacts,
  locale: Locale = 'en',
): NotificationMessage {
  const t = translator(locale);
  const order = `/orders/${f.orderId}`;
  const v = { good: f.good, place: `${f.address}, ${f.city}`, cell: String(f.cellNumber ?? '') };
  const cell = f.cellNumber ? 'InCell' : '';
  switch (kind) {
    case 'order_assigned':
      return { title: t('order_assigned.title'), body: t('order_assigned.body', v), link: order };
    case 'order_ready':
      return {
        title: t(`order_ready.title${cell}`, v),
        body: f.pickupPin
          ? t(`order_ready.body${cell}Pin`, { ...v, pin: f.pickupPin })
          : t(`order_ready.body${cell}`, v),
        link: '/pickup',
      };
    case 'order_collected':
      return { title: t('order_collected.title'), body: t('order_collected.body', v), link: order };
    case 'order_cancelled':
      return {
        title: t('order_cancelled.title'),
        body: f.reason
          ? t('order_cancelled.bodyWithReason', { ...v, reason: sentence(f.reason) })
          : t('order_cancelled.body', v),
        link: order,
      };
    case 'order_failed':
      return {
        title: t('order_failed.title'),
        body: f.reason ? t('order_failed.bodyWithReason', { ...v, reason: f.reason }) : t('order_failed.body', v),
        link: order,
      };
    case 'order_reopened':
      return { title: t('order_reopened.title'), body: t('order_reopened.body', v), link: order };
    case 'pickup_reminder':
      return {
        title: t('pickup_reminder.title'),
        body: t(`pickup_reminder.body${cell}`, { ...v, days: Math.max(1, f.waitingDays ?? 1) }),
        link: '/pickup',
      };
    case 'pickup_code_expiring':
      return {
        title: t('pickup_code_expiring.title'),
        body: f.codeExpiresAt
          ? t('pickup_code_expiring.body', { ...v, expiresAt: f.codeExpiresAt })
          : t('pickup_code_expiring.bodySoon', v),
        link: '/pickup',
      };
  }
}
