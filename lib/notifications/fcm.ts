import { cert, getApps, initializeApp } from 'firebase-admin/app';
import { getMessaging, type MulticastMessage } from 'firebase-admin/messaging';
import { parseServiceAccount, type FirebaseServiceAccount } from '@/env';
import type { notifications } from '@/db/schema';
import { PROGRESS_KINDS, PUSH_TTL_MS } from './messages';

// The FCM push channel. firebase-admin is imported here and nowhere else, so tests replace it at
// the module boundary (vi.mock of 'firebase-admin/app' and 'firebase-admin/messaging').

export type PushMessage = MulticastMessage;
export type PushResponse = { success: boolean; error?: { code: string; message: string } };
/** One response per token, in the order of `message.tokens`. */
export type PushResult = { successCount: number; responses: PushResponse[] };
export type PushChannel = { send(message: PushMessage): Promise<PushResult> };

/** What a push is built from: the outbox row (the in-app centre shows the same title and body). */
export type PushNotification = Pick<
  typeof notifications.$inferSelect,
  'id' | 'kind' | 'title' | 'body' | 'orderId' | 'data' | 'createdAt'
>;

/** The Android channel the apps create for order updates. */
export const ANDROID_CHANNEL_ID = 'order_updates';
export { PROGRESS_KINDS };

/** When a push of this notification stops being worth delivering (its kind's PUSH_TTL_MS after it was written). */
export function pushExpiresAt(n: Pick<PushNotification, 'kind' | 'createdAt'>): Date {
  return new Date(n.createdAt.getTime() + PUSH_TTL_MS[n.kind]);
}

/**
 * The device-side identity of a push: progress kinds share one per order, so a later update
 * replaces the earlier one; every other kind uses its own notification id, so a duplicate
 * delivery (a resend after a crash) replaces the first copy instead of showing twice.
 * Both fit APNs' 64-byte limit for apns-collapse-id.
 */
export function pushTag(n: Pick<PushNotification, 'id' | 'kind' | 'orderId'>): string {
  return PROGRESS_KINDS.includes(n.kind) && n.orderId ? `order:${n.orderId}` : n.id;
}

/**
 * The exact FCM multicast payload for one notification and its user's device tokens, sent at
 * `now`. Its expiry travels with it: FCM keeps it for Android only the time left (ttl, in ms),
 * APNs until the expiry instant (epoch seconds), web push for the seconds left.
 */
export function buildMulticastMessage(n: PushNotification, tokens: string[], now: Date): PushMessage {
  const tag = pushTag(n);
  const progress = tag !== n.id;
  const expiresAt = pushExpiresAt(n);
  const leftMs = Math.max(0, expiresAt.getTime() - now.getTime());
  // FCM data values must be strings.
  const data: Record<string, string> = { notification_id: n.id, kind: n.kind };
  if (n.orderId) data.order_id = n.orderId;
  data.link = n.data.link;
  return {
    tokens,
    notification: { title: n.title, body: n.body },
    data,
    android: {
      priority: 'high',
      ttl: leftMs,
      ...(progress ? { collapseKey: tag } : {}),
      notification: { channelId: ANDROID_CHANNEL_ID, tag },
    },
    apns: {
      headers: { 'apns-collapse-id': tag, 'apns-expiration': String(Math.floor(expiresAt.getTime() / 1000)) },
      payload: { aps: { sound: 'default' } },
    },
    webpush: { headers: { TTL: String(Math.floor(leftMs / 1000)) }, notification: { tag } },
  };
}

/** FIREBASE_SERVICE_ACCOUNT's value (inline JSON or a file path) as cert() needs it; throws naming the variable. */
export function loadServiceAccount(value: string): FirebaseServiceAccount {
  const r = parseServiceAccount(value);
  if (!r.ok) throw new Error(`FIREBASE_SERVICE_ACCOUNT ${r.problem}`);
  return r.account;
}

const APP_NAME = 'skypost-push';

/**
 * The FCM channel: sendEachForMulticast through a named firebase app, initialised once per
 * process (a second call reuses it). Per-token errors come back as responses; a failure of the
 * whole call (network, auth) is thrown.
 */
export function createFcmChannel(account: FirebaseServiceAccount): PushChannel {
  const app =
    getApps().find((a) => a.name === APP_NAME) ??
    initializeApp({ credential: cert(account), projectId: account.projectId }, APP_NAME);
  const messaging = getMessaging(app);
  return {
    async send(message) {
      const res = await messaging.sendEachForMulticast(message);
      return {
        successCount: res.successCount,
        responses: res.responses.map((r) =>
          r.success
            ? { success: true }
            : {
                success: false,
                error: {
                  code: r.error?.code ?? 'messaging/unknown-error',
                  message: r.error?.message ?? 'unknown error',
                },
              },
        ),
      };
    },
  };
}
