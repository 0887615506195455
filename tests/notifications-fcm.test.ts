import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { BatchResponse, MulticastMessage } from 'firebase-admin/messaging';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  NOTIFICATION_KINDS,
  notifications,
  orders,
  parcelAutomats,
  userDevices,
  type NotificationKind,
} from '@/db/schema';
import { EnvError, loadEnv } from '@/env';
import { buildMulticastMessage, createFcmChannel, loadServiceAccount, type PushChannel } from '@/lib/notifications/fcm';
import { notificationMessage, PUSH_TTL_MS } from '@/lib/notifications/messages';
import { enqueueNotification, notifyOrderCustomer } from '@/lib/notifications/outbox';
import {
  NO_DEVICE_TOKENS,
  PUSH_BACKOFF,
  PUSH_DISABLED,
  PUSH_EXPIRED,
  sendNextNotification,
} from '@/lib/notifications/sender';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';

// The FCM channel with firebase-admin replaced at the module boundary (no network): the exact
// payload per kind, token pruning, backoff and retry, and what happens without tokens or
// without credentials. Notifications are real outbox rows in a real database.

const fb = vi.hoisted(() => {
  const apps: { name: string }[] = [];
  return {
    apps,
    initializeApp: vi.fn((_options: unknown, name: string) => {
      const app = { name };
      apps.push(app);
      return app;
    }),
    getApps: vi.fn(() => apps),
    cert: vi.fn((account: unknown) => ({ fakeCredentialFor: account })),
    sendEachForMulticast: vi.fn(),
    getMessaging: vi.fn(),
  };
});
vi.mock('firebase-admin/app', () => ({ initializeApp: fb.initializeApp, getApps: fb.getApps, cert: fb.cert }));
vi.mock('firebase-admin/messaging', () => ({ getMessaging: fb.getMessaging }));

/** A token's prefix says how the fake FCM answers for it; no prefix = delivered. */
const CODE_BY_PREFIX: Record<string, string> = {
  unregistered: 'messaging/registration-token-not-registered',
  invalid: 'messaging/invalid-registration-token',
  badarg: 'messaging/invalid-argument',
  internal: 'messaging/internal-error',
  unavailable: 'messaging/server-unavailable',
  quota: 'messaging/quota-exceeded',
  mismatch: 'messaging/mismatched-credential',
};

function fakeFcm(message: MulticastMessage): Promise<BatchResponse> {
  const responses = message.tokens.map((token) => {
    const code = CODE_BY_PREFIX[token.split(':')[0] ?? ''];
    return code
      ? { success: false, error: { code, message: `fake ${code}`, toJSON: () => ({}) } }
      : { success: true, messageId: `projects/skypost-test/messages/${token}` };
  });
  const successCount = responses.filter((r) => r.success).length;
  return Promise.resolve({ responses, successCount, failureCount: responses.length - successCount } as BatchResponse);
}

const sentMessages = () => fb.sendEachForMulticast.mock.calls.map((c) => c[0] as MulticastMessage);

const ACCOUNT = {
  projectId: 'skypost-test',
  clientEmail: 'push@skypost-test.iam.gserviceaccount.com',
  privateKey: 'unused by the fake',
};
const NOW = new Date('2030-03-01T12:00:00.000Z');
const GOOD = 'Drone Kit';
const ADDRESS = 'Tverskaya St. 1';

let t: TestDatabase;
let channel: PushChannel;
let goodId: string;
let automatId: string;

beforeAll(async () => {
  fb.getMessaging.mockImplementation(() => ({ sendEachForMulticast: fb.sendEachForMulticast }));
  channel = createFcmChannel(ACCOUNT);
  t = await createTestDatabase();
  goodId = (await makeGood(t.db, { name: GOOD })).id;
  const automat = await makeAutomat(t.db);
  await t.db.update(parcelAutomats).set({ address: ADDRESS, city: 'Moscow' }).where(eq(parcelAutomats.id, automat.id));
  automatId = automat.id;
});
afterAll(async () => {
  await t?.drop();
});
beforeEach(async () => {
  // Each test sees only its own pending rows.
  await t.db.update(notifications).set({ pushStatus: 'skipped' }).where(eq(notifications.pushStatus, 'pending'));
  fb.sendEachForMulticast.mockReset();
  fb.sendEachForMulticast.mockImplementation(fakeFcm);
});

const rnd = () => randomUUID().slice(0, 8);

async function customerWithTokens(tokens: { token: string; platform?: 'ios' | 'android' | 'web' }[]) {
  const user = await makeUser(t.db);
  if (tokens.length)
    await t.db
      .insert(userDevices)
      .values(tokens.map((d) => ({ userId: user.id, token: d.token, platform: d.platform ?? 'android' })));
  return user;
}

async function orderFor(userId: string) {
  const [o] = await t.db
    .insert(orders)
    .values({ userId, goodId, parcelAutomatId: automatId, status: 'pending' })
    .returning({ id: orders.id });
  if (!o) throw new Error('order insert failed');
  return o.id;
}

async function tokensOf(userId: string) {
  const rows = await t.db.select({ token: userDevices.token }).from(userDevices).where(eq(userDevices.userId, userId));
  return rows.map((r) => r.token).sort();
}

/**
 * The pending rows were written at `at` (default NOW): pushes expire relative to when their
 * notification was written, and these tests run the sender on a fixed clock.
 */
async function writtenAt(at: Date = NOW) {
  await t.db.update(notifications).set({ createdAt: at }).where(eq(notifications.pushStatus, 'pending'));
}

async function row(id: string) {
  const [n] = await t.db.select().from(notifications).where(eq(notifications.id, id));
  if (!n) throw new Error(`notification ${id} is gone`);
  return n;
}

/** One outbox row for a customer with the given tokens (a generic order_collected unless said). */
async function pendingNotification(tokens: string[], kind: NotificationKind = 'order_collected') {
  const user = await customerWithTokens(tokens.map((token) => ({ token })));
  const orderId = await orderFor(user.id);
  const id = await t.db.transaction((tx) => notifyOrderCustomer(tx, { orderId, kind }));
  if (!id) throw new Error('nothing enqueued');
  await writtenAt();
  return { id, user, orderId };
}

describe('FIREBASE_SERVICE_ACCOUNT', () => {
  const privateKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const json = {
    type: 'service_account',
    project_id: 'skypost-prod',
    client_email: 'fcm@skypost-prod.iam.gserviceaccount.com',
    private_key: privateKey,
  };
  const expected = { projectId: 'skypost-prod', clientEmail: 'fcm@skypost-prod.iam.gserviceaccount.com', privateKey };

  it('is read from inline JSON or from a file path, and escaped line breaks in the key are restored', () => {
    expect(loadServiceAccount(JSON.stringify(json))).toEqual(expected);
    const escaped = JSON.stringify({ ...json, private_key: privateKey.replaceAll('\n', '\\n') });
    expect(loadServiceAccount(escaped)).toEqual(expected);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-fcm-'));
    try {
      const file = path.join(dir, 'service-account.json');
      writeFileSync(file, JSON.stringify(json));
      expect(loadServiceAccount(file)).toEqual(expected);
      expect(loadEnv({ FIREBASE_SERVICE_ACCOUNT: file }).FIREBASE_SERVICE_ACCOUNT).toEqual(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(loadEnv({}).FIREBASE_SERVICE_ACCOUNT).toBeUndefined();
  });

  it('is rejected with a message naming the variable and the problem, never echoing the key', () => {
    const { private_key: _key, ...withoutKey } = json;
    const cases: [string, RegExp][] = [
      ['/nowhere/service-account.json', /not JSON and the file cannot be read \(ENOENT\)/],
      ['{"project_id": ', /not valid JSON/],
      [JSON.stringify(withoutKey), /missing or invalid: private_key/],
      [JSON.stringify({ ...json, client_email: 'nobody' }), /missing or invalid: client_email/],
      [
        JSON.stringify({ ...json, private_key: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n' }),
        /private_key is not a PEM private key/,
      ],
    ];
    for (const [value, problem] of cases) {
      expect(() => loadServiceAccount(value)).toThrow(
        /^FIREBASE_SERVICE_ACCOUNT must be a Firebase service account key/,
      );
      expect(() => loadServiceAccount(value)).toThrow(problem);
      let envError: unknown;
      try {
        loadEnv({ FIREBASE_SERVICE_ACCOUNT: value });
      } catch (err) {
        envError = err;
      }
      expect(envError).toBeInstanceOf(EnvError);
      expect((envError as Error).message).toMatch(/FIREBASE_SERVICE_ACCOUNT: must be a Firebase service account key/);
      expect((envError as Error).message).toMatch(problem);
      expect((envError as Error).message).not.toContain('not a key');
    }
  });
});

describe('createFcmChannel', () => {
  it('initialises one named firebase app with the account and wraps sendEachForMulticast', async () => {
    // beforeAll created the channel; a second one reuses the app.
    createFcmChannel(ACCOUNT);
    expect(fb.initializeApp).toHaveBeenCalledTimes(1);
    expect(fb.cert).toHaveBeenCalledWith(ACCOUNT);
    expect(fb.initializeApp).toHaveBeenCalledWith(
      { credential: { fakeCredentialFor: ACCOUNT }, projectId: 'skypost-test' },
      'skypost-push',
    );
    expect(fb.getMessaging).toHaveBeenNthCalledWith(1, { name: 'skypost-push' });
    expect(fb.getMessaging).toHaveBeenNthCalledWith(2, { name: 'skypost-push' });

    const message = { tokens: ['a-token', 'unregistered:b'], notification: { title: 't', body: 'b' } };
    await expect(channel.send(message)).resolves.toStrictEqual({
      successCount: 1,
      responses: [
        { success: true },
        {
          success: false,
          error: {
            code: 'messaging/registration-token-not-registered',
            message: 'fake messaging/registration-token-not-registered',
          },
        },
      ],
    });
    expect(fb.sendEachForMulticast).toHaveBeenCalledWith(message);
  });
});

describe('the multicast payload', () => {
  const CODE_EXPIRES_AT = new Date('2030-03-01T18:30:00.000Z');
  const facts = (orderId: string) => ({
    orderId,
    good: GOOD,
    address: ADDRESS,
    city: 'Moscow',
    cellNumber: 7,
    reason: 'The locker is closed.',
    codeExpiresAt: CODE_EXPIRES_AT,
  });
  // Every kind there is, so a new one is covered as soon as it exists.
  const KINDS: readonly NotificationKind[] = NOTIFICATION_KINDS;

  it.each(KINDS)('%s: notification, string data, Android channel and tag, APNs sound and collapse id', async (kind) => {
    const android = `android-${rnd()}`;
    const ios = `ios-${rnd()}`;
    const user = await customerWithTokens([
      { token: android, platform: 'android' },
      { token: ios, platform: 'ios' },
    ]);
    const orderId = await orderFor(user.id);
    const id = await t.db.transaction((tx) =>
      notifyOrderCustomer(tx, {
        orderId,
        kind,
        opts: {
          key: 'delivery-1',
          cellNumber: 7,
          reason: 'The locker is closed.',
          codeExpiresAt: CODE_EXPIRES_AT,
        },
      }),
    );
    if (!id) throw new Error('nothing enqueued');
    await writtenAt();

    const outcome = await sendNextNotification(t.db, channel, { now: NOW });

    const m = notificationMessage(kind, facts(orderId));
    const tag = kind === 'order_assigned' ? `order:${orderId}` : id;
    // Written at NOW and sent at NOW: the whole TTL of the kind is left.
    const ttlMs = PUSH_TTL_MS[kind];
    expect(ttlMs).toBe(
      kind === 'order_assigned' ? 10 * 60_000 : kind === 'pickup_code_expiring' ? 2 * 3_600_000 : 24 * 3_600_000,
    );
    expect(sentMessages()).toHaveLength(1);
    const tokens = sentMessages()[0]!.tokens;
    expect([...tokens].sort()).toEqual([android, ios].sort());
    expect(sentMessages()[0]).toStrictEqual({
      tokens,
      notification: { title: m.title, body: m.body },
      data: { notification_id: id, kind, order_id: orderId, link: m.link },
      android: {
        priority: 'high',
        ttl: ttlMs,
        ...(kind === 'order_assigned' ? { collapseKey: `order:${orderId}` } : {}),
        notification: { channelId: 'order_updates', tag },
      },
      apns: {
        headers: { 'apns-collapse-id': tag, 'apns-expiration': String((NOW.getTime() + ttlMs) / 1000) },
        payload: { aps: { sound: 'default' } },
      },
      webpush: { headers: { TTL: String(ttlMs / 1000) }, notification: { tag } },
    });
    // The phone says what the in-app centre says.
    const n = await row(id);
    expect({ title: n.title, body: n.body, link: n.data.link }).toEqual(m);
    expect(outcome).toMatchObject({ kind: 'sent', id, devices: 2, delivered: 2, pruned: 0 });
    expect(n).toMatchObject({ pushStatus: 'sent', pushAttempts: 1, pushSentAt: NOW, pushLastError: null });
  });

  it("collapses an order's progress updates into one tag, and gives every other kind its own", async () => {
    const user = await customerWithTokens([{ token: `android-${rnd()}` }]);
    const orderId = await orderFor(user.id);
    const [first, second, ready] = await t.db.transaction(async (tx) => [
      await notifyOrderCustomer(tx, { orderId, kind: 'order_assigned', opts: { key: 'delivery-1' } }),
      await notifyOrderCustomer(tx, { orderId, kind: 'order_assigned', opts: { key: 'delivery-2' } }),
      await notifyOrderCustomer(tx, { orderId, kind: 'order_ready', opts: { cellNumber: 3 } }),
    ]);
    await writtenAt();
    for (let i = 0; i < 3; i++) expect((await sendNextNotification(t.db, channel, { now: NOW })).kind).toBe('sent');
    const byId = new Map(sentMessages().map((m) => [m.data?.notification_id, m]));
    for (const id of [first, second]) {
      const m = byId.get(id ?? '');
      expect(m?.android?.collapseKey).toBe(`order:${orderId}`);
      expect(m?.android?.notification?.tag).toBe(`order:${orderId}`);
      expect(m?.apns?.headers?.['apns-collapse-id']).toBe(`order:${orderId}`);
    }
    const r = byId.get(ready ?? '');
    expect(r?.android?.collapseKey).toBeUndefined();
    expect(r?.android?.notification?.tag).toBe(ready);
    expect(r?.apns?.headers?.['apns-collapse-id']).toBe(ready);
  });

  it('is built the same from a notification without an order (no order_id key: every data value is a string)', () => {
    const message = buildMulticastMessage(
      {
        id: 'n-1',
        kind: 'order_assigned',
        title: 'T',
        body: 'B',
        orderId: null,
        data: { link: '/orders' },
        createdAt: NOW,
      },
      ['tok'],
      NOW,
    );
    expect(message.data).toStrictEqual({ notification_id: 'n-1', kind: 'order_assigned', link: '/orders' });
    expect(message.android).toStrictEqual({
      priority: 'high',
      ttl: 600_000,
      notification: { channelId: 'order_updates', tag: 'n-1' },
    });
  });
});

describe('token pruning', () => {
  it('deletes the tokens FCM reports unregistered or invalid, and only those', async () => {
    const s = rnd();
    const keep = [`ok:${s}`, `internal:${s}`, `mismatch:${s}`, `quota:${s}`];
    const dead = [`unregistered:${s}`, `invalid:${s}`, `badarg:${s}`];
    const { id, user } = await pendingNotification([...keep, ...dead]);
    const bystander = await customerWithTokens([{ token: `unregistered:other-${s}` }]);

    const outcome = await sendNextNotification(t.db, channel, { now: NOW });

    expect(outcome).toMatchObject({ kind: 'sent', id, devices: 7, delivered: 1, pruned: 3 });
    expect(await tokensOf(user.id)).toEqual([...keep].sort());
    expect(await tokensOf(bystander.id)).toEqual([`unregistered:other-${s}`]);
    const n = await row(id);
    expect(n.pushStatus).toBe('sent');
    expect(n.pushLastError).toMatch(/^6 of 7 devices failed: /);
    expect(n.pushLastError).toContain('messaging/registration-token-not-registered (1)');
  });

  it('skips the row (no retry) when every token was dead, and removes them all', async () => {
    const s = rnd();
    const { id, user } = await pendingNotification([`unregistered:${s}`, `invalid:${s}`]);
    expect(await sendNextNotification(t.db, channel, { now: NOW })).toMatchObject({ kind: 'skipped', id, pruned: 2 });
    expect(await tokensOf(user.id)).toEqual([]);
    expect(await row(id)).toMatchObject({
      pushStatus: 'skipped',
      pushAttempts: 1,
      pushLastError: 'no valid device tokens (2 pruned)',
      pushSentAt: null,
    });
  });

  it('keeps every token when FCM answers invalid-argument for all (the message, not tokens, was refused)', async () => {
    const s = rnd();
    const { id, user } = await pendingNotification([`badarg:${s}-1`, `badarg:${s}-2`]);
    expect(await sendNextNotification(t.db, channel, { now: NOW })).toMatchObject({ kind: 'failed', id, pruned: 0 });
    expect(await tokensOf(user.id)).toEqual([`badarg:${s}-1`, `badarg:${s}-2`]);
    expect((await row(id)).pushLastError).toContain('messaging/invalid-argument (2)');
  });

  it('fails at once, keeping the token, on a permanent error that is not about the token being dead', async () => {
    const s = rnd();
    const { id, user } = await pendingNotification([`mismatch:${s}`]);
    expect(await sendNextNotification(t.db, channel, { now: NOW })).toMatchObject({ kind: 'failed', id, attempts: 1 });
    expect(await tokensOf(user.id)).toEqual([`mismatch:${s}`]);
    const n = await row(id);
    expect(n.pushStatus).toBe('failed');
    expect(n.pushLastError).toContain('messaging/mismatched-credential');
  });
});

describe('backoff and retry', () => {
  it('retries transient errors at now + min(30 s * 2^(attempts-1), 1 h) and fails after 10 attempts', async () => {
    expect(PUSH_BACKOFF).toEqual({ baseMs: 30_000, capMs: 3_600_000, maxAttempts: 10 });
    const s = rnd();
    const { id, user } = await pendingNotification([`internal:${s}`, `unavailable:${s}`]);
    const delaysS = [30, 60, 120, 240, 480, 960, 1920, 3600, 3600];
    let now = NOW;
    for (const [i, delay] of delaysS.entries()) {
      const attempts = i + 1;
      const outcome = await sendNextNotification(t.db, channel, { now });
      const next = new Date(now.getTime() + delay * 1000);
      expect(outcome).toMatchObject({ kind: 'retry', id, attempts, nextAttemptAt: next });
      const n = await row(id);
      expect(n).toMatchObject({
        pushStatus: 'pending',
        pushAttempts: attempts,
        pushNextAttemptAt: next,
        pushSentAt: null,
      });
      expect(n.pushLastError).toBe(
        '2 of 2 devices failed: messaging/internal-error (1): fake messaging/internal-error; ' +
          'messaging/server-unavailable (1): fake messaging/server-unavailable',
      );
      // Not due a millisecond early; due exactly on time.
      expect(await sendNextNotification(t.db, channel, { now: new Date(next.getTime() - 1) })).toEqual({
        kind: 'idle',
      });
      now = next;
    }
    const last = await sendNextNotification(t.db, channel, { now });
    expect(last).toMatchObject({ kind: 'failed', id, attempts: 10 });
    expect(await row(id)).toMatchObject({
      pushStatus: 'failed',
      pushAttempts: 10,
      pushNextAttemptAt: now,
      pushSentAt: null,
    });
    expect(fb.sendEachForMulticast).toHaveBeenCalledTimes(10);
    // Transient failures never prune.
    expect(await tokensOf(user.id)).toEqual([`internal:${s}`, `unavailable:${s}`]);
    expect(await sendNextNotification(t.db, channel, { now: new Date(now.getTime() + 86_400_000) })).toEqual({
      kind: 'idle',
    });
  });

  it('treats an error thrown by sendEachForMulticast itself (network) as transient', async () => {
    const { id } = await pendingNotification([`ok:${rnd()}`]);
    fb.sendEachForMulticast.mockRejectedValueOnce(
      Object.assign(new Error('getaddrinfo ENOTFOUND fcm.googleapis.com'), { code: 'app/network-error' }),
    );
    expect(await sendNextNotification(t.db, channel, { now: NOW })).toMatchObject({
      kind: 'retry',
      id,
      attempts: 1,
      nextAttemptAt: new Date(NOW.getTime() + 30_000),
    });
    expect(await row(id)).toMatchObject({
      pushStatus: 'pending',
      pushAttempts: 1,
      pushLastError: 'app/network-error: getaddrinfo ENOTFOUND fcm.googleapis.com',
    });
    // The next attempt goes through.
    const later = new Date(NOW.getTime() + 30_000);
    expect(await sendNextNotification(t.db, channel, { now: later })).toMatchObject({ kind: 'sent', id });
    expect(await row(id)).toMatchObject({
      pushStatus: 'sent',
      pushAttempts: 2,
      pushSentAt: later,
      pushLastError: null,
    });
  });

  it('counts a send that hangs past the timeout as transient', async () => {
    const { id } = await pendingNotification([`ok:${rnd()}`]);
    fb.sendEachForMulticast.mockImplementationOnce(() => new Promise(() => {}));
    const outcome = await sendNextNotification(t.db, channel, { now: NOW, sendTimeoutMs: 50 });
    expect(outcome).toMatchObject({ kind: 'retry', id, attempts: 1, error: 'FCM send timed out after 50 ms' });
  });

  it('sends when one device succeeds although another failed transiently', async () => {
    const s = rnd();
    const { id } = await pendingNotification([`ok:${s}`, `internal:${s}`]);
    expect(await sendNextNotification(t.db, channel, { now: NOW })).toMatchObject({ kind: 'sent', id, delivered: 1 });
    expect(await row(id)).toMatchObject({ pushStatus: 'sent', pushAttempts: 1 });
  });
});

describe('no push', () => {
  it('calls FCM for nobody when the user has no tokens; the in-app row is still there', async () => {
    const { id, user } = await pendingNotification([]);
    expect(await sendNextNotification(t.db, channel, { now: NOW })).toEqual({
      kind: 'skipped',
      id,
      reason: NO_DEVICE_TOKENS,
      pruned: 0,
    });
    expect(fb.sendEachForMulticast).not.toHaveBeenCalled();
    const n = await row(id);
    expect(n).toMatchObject({
      userId: user.id,
      kind: 'order_collected',
      readAt: null,
      pushStatus: 'skipped',
      pushAttempts: 0,
      pushLastError: 'no device tokens',
    });
    expect(n.title).toBe('Parcel collected');
  });

  it('settles rows as skipped ("push disabled") without a channel, leaving them to the in-app centre', async () => {
    const { id } = await pendingNotification([`ok:${rnd()}`]);
    expect(await sendNextNotification(t.db, null, { now: NOW })).toEqual({
      kind: 'skipped',
      id,
      reason: PUSH_DISABLED,
      pruned: 0,
    });
    expect(fb.sendEachForMulticast).not.toHaveBeenCalled();
    expect(await row(id)).toMatchObject({
      pushStatus: 'skipped',
      pushAttempts: 0,
      pushLastError: 'push disabled',
      readAt: null,
    });
  });

  it('does not send a row twice: a settled row is never claimed again', async () => {
    const user = await customerWithTokens([{ token: `ok:${rnd()}` }]);
    const orderId = await orderFor(user.id);
    const id = await t.db.transaction((tx) =>
      enqueueNotification(tx, {
        userId: user.id,
        locale: 'en',
        kind: 'pickup_reminder',
        facts: { orderId, good: GOOD, address: ADDRESS, city: 'Moscow' },
        dedupeKey: `test:${rnd()}`,
      }),
    );
    await writtenAt();
    expect(await sendNextNotification(t.db, channel, { now: NOW })).toMatchObject({ kind: 'sent', id });
    expect(await sendNextNotification(t.db, channel, { now: NOW })).toEqual({ kind: 'idle' });
    expect(fb.sendEachForMulticast).toHaveBeenCalledTimes(1);
  });
});

describe('push expiry (TTL per kind)', () => {
  const MIN = 60_000;

  it('tells FCM the time left: a 4-min-old progress push keeps 6 min on Android/web and its APNs expiry', async () => {
    const { id } = await pendingNotification([`ok:${rnd()}`], 'order_assigned');
    const written = new Date(NOW.getTime() - 4 * MIN);
    await writtenAt(written);
    expect(await sendNextNotification(t.db, channel, { now: NOW })).toMatchObject({ kind: 'sent', id });
    const m = sentMessages()[0]!;
    expect(m.android?.ttl).toBe(6 * MIN);
    expect(m.webpush?.headers).toStrictEqual({ TTL: '360' });
    expect(m.apns?.headers?.['apns-expiration']).toBe(String((written.getTime() + 10 * MIN) / 1000));
  });

  it('never sends a progress push older than its TTL: skipped as expired, no FCM call, in-app row stays', async () => {
    const { id } = await pendingNotification([`ok:${rnd()}`], 'order_assigned');
    await writtenAt(new Date(NOW.getTime() - 10 * MIN));
    expect(await sendNextNotification(t.db, channel, { now: NOW })).toEqual({
      kind: 'skipped',
      id,
      reason: PUSH_EXPIRED,
      pruned: 0,
    });
    expect(PUSH_EXPIRED).toBe('expired before it could be sent');
    expect(fb.sendEachForMulticast).not.toHaveBeenCalled();
    const n = await row(id);
    expect(n).toMatchObject({
      pushStatus: 'skipped',
      pushAttempts: 0,
      pushLastError: PUSH_EXPIRED,
      pushSentAt: null,
      readAt: null,
      title: 'A drone took your order',
    });
  });

  it('still sends a progress push a millisecond before its expiry, with 1 ms left', async () => {
    const { id } = await pendingNotification([`ok:${rnd()}`], 'order_assigned');
    await writtenAt(new Date(NOW.getTime() - 10 * MIN + 1));
    expect(await sendNextNotification(t.db, channel, { now: NOW })).toMatchObject({ kind: 'sent', id });
    expect(sentMessages()[0]!.android?.ttl).toBe(1);
  });

  it('keeps an important push (ready for pickup) for a day: sent after 3 h, skipped after 24 h', async () => {
    const late = await pendingNotification([`ok:${rnd()}`], 'order_ready');
    await writtenAt(new Date(NOW.getTime() - 3 * 60 * MIN));
    expect(await sendNextNotification(t.db, channel, { now: NOW })).toMatchObject({ kind: 'sent', id: late.id });
    expect(sentMessages()[0]!.android?.ttl).toBe(21 * 60 * MIN);

    const stale = await pendingNotification([`ok:${rnd()}`], 'order_ready');
    await writtenAt(new Date(NOW.getTime() - 24 * 60 * MIN));
    expect(await sendNextNotification(t.db, channel, { now: NOW })).toEqual({
      kind: 'skipped',
      id: stale.id,
      reason: PUSH_EXPIRED,
      pruned: 0,
    });
    expect(fb.sendEachForMulticast).toHaveBeenCalledTimes(1);
  });

  it('a retry that comes due after the push expired is not sent either', async () => {
    const s = rnd();
    const { id } = await pendingNotification([`internal:${s}`], 'order_assigned');
    const first = await sendNextNotification(t.db, channel, { now: NOW });
    expect(first).toMatchObject({ kind: 'retry', id, attempts: 1 });
    // Retries at +30 s, +1 m, +2 m, +4 m (7.5 min in all), then +8 m would be past 10 min.
    let now = NOW;
    for (const delayS of [30, 60, 120, 240]) {
      now = new Date(now.getTime() + delayS * 1000);
      expect(await sendNextNotification(t.db, channel, { now })).toMatchObject({ kind: 'retry', id });
    }
    now = new Date(now.getTime() + 480 * 1000);
    expect(await sendNextNotification(t.db, channel, { now })).toEqual({
      kind: 'skipped',
      id,
      reason: PUSH_EXPIRED,
      pruned: 0,
    });
    expect(fb.sendEachForMulticast).toHaveBeenCalledTimes(5);
    expect(await row(id)).toMatchObject({ pushStatus: 'skipped', pushAttempts: 5, pushLastError: PUSH_EXPIRED });
  });
});

describe('attempts are counted before the send', () => {
  it('the attempt commits with a lease while FCM still answers; another sender leaves the row alone', async () => {
    const { id } = await pendingNotification([`ok:${rnd()}`]);
    let answer!: () => void;
    const answered = new Promise<void>((r) => (answer = r));
    fb.sendEachForMulticast.mockImplementationOnce((m: MulticastMessage) => answered.then(() => fakeFcm(m)));
    const inFlight = sendNextNotification(t.db, channel, { now: NOW });
    await expect.poll(async () => (await row(id)).pushAttempts, { timeout: 10_000 }).toBe(1);
    // Counted and committed before FCM answered; the lease is the first retry's 30 s (at least
    // the send timeout plus a margin), so a sender that dies here leaves a row due again then.
    expect(await row(id)).toMatchObject({
      pushStatus: 'pending',
      pushAttempts: 1,
      pushNextAttemptAt: new Date(NOW.getTime() + 30_000),
      pushSentAt: null,
    });
    expect(await sendNextNotification(t.db, channel, { now: new Date(NOW.getTime() + 29_999) })).toEqual({
      kind: 'idle',
    });
    answer();
    expect(await inFlight).toMatchObject({ kind: 'sent', id, delivered: 1 });
    expect(await row(id)).toMatchObject({
      pushStatus: 'sent',
      pushAttempts: 1,
      pushNextAttemptAt: NOW,
      pushSentAt: NOW,
    });
    expect(fb.sendEachForMulticast).toHaveBeenCalledTimes(1);
  });

  it('a row whose attempts all died mid-send is failed at the limit without another send', async () => {
    const { id } = await pendingNotification([`ok:${rnd()}`]);
    await t.db
      .update(notifications)
      .set({ pushAttempts: PUSH_BACKOFF.maxAttempts, pushNextAttemptAt: NOW })
      .where(eq(notifications.id, id));
    const outcome = await sendNextNotification(t.db, channel, { now: NOW });
    expect(outcome).toMatchObject({ kind: 'failed', id, attempts: 10 });
    expect(fb.sendEachForMulticast).not.toHaveBeenCalled();
    expect(await row(id)).toMatchObject({
      pushStatus: 'failed',
      pushAttempts: 10,
      pushLastError:
        'gave up after 10 attempts: the last send never finished (the sender crashed or was stopped mid-send)',
    });
  });
});
