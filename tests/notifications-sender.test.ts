import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createDb, createSql, type Db } from '@/db';
import { goods, notifications, orders, userDevices } from '@/db/schema';
import type { Logger, LogFields } from '@/lib/logger';
import type { PushChannel, PushMessage } from '@/lib/notifications/fcm';
import { enqueueNotification, NOTIFICATIONS_CHANNEL } from '@/lib/notifications/outbox';
import { abandonedError, drainNotifications, PUSH_BACKOFF } from '@/lib/notifications/sender';
import { cancelOrder, createOrder } from '@/lib/orders/order-flow';
import { startNotificationSender } from '@/worker/notifications';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';
import { waitUntil } from './helpers/worker-process';

// The push sender against the real PostgreSQL: the outbox row commits or rolls back with the
// status change; a sender SIGKILLed mid-batch (a real child process) loses nothing and sends
// nothing twice; two senders on separate pools never send the same row; the worker loop wakes
// on NOTIFY and stops cleanly.

const root = path.resolve(import.meta.dirname, '..');
let t: TestDatabase | undefined;
let dir: string | undefined;

async function freshDatabase(): Promise<TestDatabase> {
  t = await createTestDatabase();
  return t;
}
afterEach(async () => {
  await t?.drop();
  t = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
afterAll(async () => {
  await t?.drop();
});

const rnd = () => randomUUID().slice(0, 8);
const ok = (message: PushMessage) => ({
  successCount: message.tokens.length,
  responses: message.tokens.map(() => ({ success: true })),
});

/** `count` pending notifications spread over `users` customers, one device token each. */
async function seedNotifications(db: Db, count: number, users = 10): Promise<string[]> {
  const good = await makeGood(db);
  const automat = await makeAutomat(db);
  const targets: { userId: string; orderId: string }[] = [];
  for (let i = 0; i < users; i++) {
    const user = await makeUser(db);
    await db
      .insert(userDevices)
      .values({ userId: user.id, token: `token-${rnd()}`, platform: i % 2 ? 'ios' : 'android' });
    const [o] = await db
      .insert(orders)
      .values({ userId: user.id, goodId: good.id, parcelAutomatId: automat.id, status: 'pending' })
      .returning({ id: orders.id });
    targets.push({ userId: user.id, orderId: o!.id });
  }
  return db.transaction(async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const target = targets[i % targets.length]!;
      const id = await enqueueNotification(tx, {
        userId: target.userId,
        locale: 'en',
        kind: i % 3 ? 'pickup_reminder' : 'order_assigned',
        facts: { orderId: target.orderId, good: good.name, address: automat.address, city: automat.city },
        dedupeKey: `test:${i}:${rnd()}`,
      });
      ids.push(id!);
    }
    return ids;
  });
}

async function pushStatusCounts(db: Db) {
  const rows = await db
    .select({ status: notifications.pushStatus, attempts: notifications.pushAttempts, n: sql<number>`count(*)::int` })
    .from(notifications)
    .groupBy(notifications.pushStatus, notifications.pushAttempts);
  return Object.fromEntries(rows.map((r) => [`${r.status}/${r.attempts}`, r.n]));
}

function memoryLogger(lines: { level: string; msg: string; fields?: LogFields }[]): Logger {
  const at = (level: string) => (msg: string, fields?: LogFields) => void lines.push({ level, msg, fields });
  const log: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => log };
  return log;
}

describe('the outbox row and the status change are one transaction', () => {
  it('cancelOrder: a failed commit leaves neither cancellation nor notification; a successful one, both', async () => {
    const db = await freshDatabase();
    const user = await makeUser(db.db);
    const good = await makeGood(db.db, { quantityAvailable: 5 });
    const automat = await makeAutomat(db.db);
    const order = await createOrder(
      db.db,
      { userId: user.id, goodId: good.id, automatId: automat.id },
      { actor: { type: 'customer', id: user.id } },
    );

    // A deferred trigger fails the COMMIT of any transaction that wrote a notification, after
    // every statement of cancelOrder has succeeded.
    await db.sql.unsafe(`
      create function test_fail_commit() returns trigger language plpgsql as $$
      begin raise exception 'simulated failure at commit'; end $$;
      create constraint trigger test_fail_commit after insert on notifications
        deferrable initially deferred for each row execute function test_fail_commit();`);
    await expect(
      cancelOrder(db.db, { orderId: order.id, reason: 'Locker out of service.' }, { type: 'admin' }),
    ).rejects.toThrow();
    const [still] = await db.db.select({ status: orders.status }).from(orders).where(eq(orders.id, order.id));
    expect(still?.status).toBe('pending');
    expect(await db.db.select().from(notifications).where(eq(notifications.orderId, order.id))).toEqual([]);
    const [stock] = await db.db.select({ left: goods.quantityAvailable }).from(goods).where(eq(goods.id, good.id));
    expect(stock?.left).toBe(4);

    await db.sql.unsafe('drop trigger test_fail_commit on notifications; drop function test_fail_commit();');
    await cancelOrder(db.db, { orderId: order.id, reason: 'Locker out of service.' }, { type: 'admin' });
    const [after] = await db.db.select({ status: orders.status }).from(orders).where(eq(orders.id, order.id));
    expect(after?.status).toBe('cancelled');
    const rows = await db.db
      .select({ kind: notifications.kind, userId: notifications.userId, pushStatus: notifications.pushStatus })
      .from(notifications)
      .where(eq(notifications.orderId, order.id));
    expect(rows).toEqual([{ kind: 'order_cancelled', userId: user.id, pushStatus: 'pending' }]);
  });

  it('enqueueNotification: a thrown transaction leaves no row, wakes no sender; a committed one, both', async () => {
    const db = await freshDatabase();
    const user = await makeUser(db.db);
    const good = await makeGood(db.db);
    const automat = await makeAutomat(db.db);
    const [o] = await db.db
      .insert(orders)
      .values({ userId: user.id, goodId: good.id, parcelAutomatId: automat.id })
      .returning({ id: orders.id });
    const facts = { orderId: o!.id, good: good.name, address: automat.address, city: automat.city };
    const woken: string[] = [];
    const listening = await db.sql.listen(NOTIFICATIONS_CHANNEL, (payload) => woken.push(payload));
    try {
      let rolledBack: string | null = null;
      await expect(
        db.db.transaction(async (tx) => {
          await tx.update(orders).set({ status: 'processing' }).where(eq(orders.id, o!.id));
          rolledBack = await enqueueNotification(tx, {
            userId: user.id,
            locale: 'en',
            kind: 'order_assigned',
            facts,
            dedupeKey: `rollback:${rnd()}`,
          });
          throw new Error('the status change failed after the enqueue');
        }),
      ).rejects.toThrow('the status change failed');
      expect(rolledBack).toEqual(expect.any(String));

      const committed = await db.db.transaction(async (tx) => {
        await tx.update(orders).set({ status: 'processing' }).where(eq(orders.id, o!.id));
        return enqueueNotification(tx, {
          userId: user.id,
          locale: 'en',
          kind: 'order_assigned',
          facts,
          dedupeKey: `commit:${rnd()}`,
        });
      });
      await waitUntil(() => woken.includes(committed!), {
        ms: 5_000,
        what: 'the NOTIFY of the committed notification',
      });
      expect(woken).toEqual([committed]);
      const rows = await db.db.select({ id: notifications.id }).from(notifications);
      expect(rows).toEqual([{ id: committed }]);
      const [order] = await db.db.select({ status: orders.status }).from(orders).where(eq(orders.id, o!.id));
      expect(order?.status).toBe('processing');
    } finally {
      await listening.unlisten();
    }
  });
});

type SentLine = { id: string; tag: string; collapseId: string; by: string };
const readSent = (file: string): SentLine[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as SentLine)
    : [];

/** The channel of the sender that runs second: the same log format as the child's. */
function recordingChannel(file: string): PushChannel {
  return {
    async send(message) {
      const line: SentLine = {
        id: message.data?.notification_id ?? '',
        tag: message.android?.notification?.tag ?? '',
        collapseId: message.apns?.headers?.['apns-collapse-id'] ?? '',
        by: 'second',
      };
      appendFileSync(file, `${JSON.stringify(line)}\n`);
      return ok(message);
    },
  };
}

async function runKilledChild(
  db: TestDatabase,
  {
    file,
    killAt,
    mode,
    now,
    expectKill,
  }: { file: string; killAt: number; mode: 'before-send' | 'after-send'; now?: Date; expectKill?: boolean },
) {
  let output = '';
  const args = [
    '--import',
    'tsx',
    'tests/helpers/notification-sender-child.ts',
    db.url,
    file,
    String(killAt),
    mode,
    '1',
    ...(now ? [now.toISOString()] : []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  if (expectKill === false)
    expect(exit, `the child should have finished without a send to kill it:\n${output}`).toEqual({
      code: 0,
      signal: null,
    });
  else
    expect(exit, `the child should have killed itself at send ${killAt}:\n${output}`).toEqual({
      code: null,
      signal: 'SIGKILL',
    });
  // PostgreSQL rolls back the killed session's transaction when it notices the closed socket.
  await waitUntil(
    async () =>
      (
        await db.sql`select count(*)::int as n from pg_stat_activity
          where datname = ${db.name} and application_name = 'skypost-notify-child'`
      )[0]!.n === 0,
    { ms: 10_000, what: "the killed sender's sessions to end" },
  );
}

describe('a sender killed mid-batch', () => {
  it('SIGKILLed before its 12th send: the second sender sends the rest; every row is sent exactly once', async () => {
    const db = await freshDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-sent-'));
    const file = path.join(dir, 'sent.jsonl');
    const ids = await seedNotifications(db.db, 30);

    await runKilledChild(db, { file, killAt: 12, mode: 'before-send' });
    expect(readSent(file)).toHaveLength(11);
    // Eleven sent; the twelfth was claimed, its attempt counted (committed before the send),
    // and it waits out its lease; the other eighteen were never touched.
    expect(await pushStatusCounts(db.db)).toEqual({ 'sent/1': 11, 'pending/1': 1, 'pending/0': 18 });

    const counts = await drainNotifications(db.db, recordingChannel(file), { concurrency: 4 });
    expect(counts).toEqual({ sent: 18, retried: 0, failed: 0, skipped: 0 });
    // Once the lease is over (30 s for a first attempt), the killed row goes out as attempt 2.
    const afterLease = await drainNotifications(db.db, recordingChannel(file), {
      concurrency: 4,
      now: new Date(Date.now() + 31_000),
    });
    expect(afterLease).toEqual({ sent: 1, retried: 0, failed: 0, skipped: 0 });

    const sent = readSent(file);
    const times = new Map<string, number>();
    for (const l of sent) times.set(l.id, (times.get(l.id) ?? 0) + 1);
    expect([...times.keys()].sort()).toEqual([...ids].sort());
    expect([...times.values()].every((n) => n === 1)).toBe(true);
    expect(sent.filter((l) => l.by === 'child')).toHaveLength(11);
    expect(await pushStatusCounts(db.db)).toEqual({ 'sent/1': 29, 'sent/2': 1 });
  });

  it('SIGKILLed after FCM took msg 12, result unsaved: only it resent after its lease, same collapse id', async () => {
    const db = await freshDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-sent-'));
    const file = path.join(dir, 'sent.jsonl');
    const ids = await seedNotifications(db.db, 30);

    await runKilledChild(db, { file, killAt: 12, mode: 'after-send' });
    const inFlight = readSent(file)[11];
    expect(readSent(file)).toHaveLength(12);
    expect(await pushStatusCounts(db.db)).toEqual({ 'sent/1': 11, 'pending/1': 1, 'pending/0': 18 });

    await drainNotifications(db.db, recordingChannel(file), { concurrency: 4 });
    expect(readSent(file).filter((l) => l.id === inFlight?.id)).toHaveLength(1);
    await drainNotifications(db.db, recordingChannel(file), { concurrency: 4, now: new Date(Date.now() + 31_000) });

    const sent = readSent(file);
    const copies = (id: string) => sent.filter((l) => l.id === id);
    expect([...new Set(sent.map((l) => l.id))].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(copies(id), id).toHaveLength(id === inFlight?.id ? 2 : 1);
    // The device replaces the first copy: same Android tag and APNs collapse id both times.
    const [first, again] = copies(inFlight!.id);
    expect(again).toEqual({ ...first, by: 'second' });
    expect(first?.collapseId).toBe(first?.tag);
    expect(await pushStatusCounts(db.db)).toEqual({ 'sent/1': 29, 'sent/2': 1 });
  });

  it(
    'SIGKILLed mid-send of the same row each time: after the 10th attempt the row is failed, not retried forever',
    { timeout: 420_000 },
    async () => {
      const db = await freshDatabase();
      dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-sent-'));
      const file = path.join(dir, 'sent.jsonl');
      const user = await makeUser(db.db);
      await db.db.insert(userDevices).values({ userId: user.id, token: `token-${rnd()}`, platform: 'android' });
      const good = await makeGood(db.db);
      const automat = await makeAutomat(db.db);
      const [o] = await db.db
        .insert(orders)
        .values({ userId: user.id, goodId: good.id, parcelAutomatId: automat.id, status: 'delivered' })
        .returning({ id: orders.id });
      const id = await db.db.transaction((tx) =>
        enqueueNotification(tx, {
          userId: user.id,
          locale: 'en',
          kind: 'order_ready',
          facts: { orderId: o!.id, good: good.name, address: automat.address, city: automat.city },
          dedupeKey: `poison:${rnd()}`,
        }),
      );
      const state = async () =>
        (
          await db.db
            .select({
              status: notifications.pushStatus,
              attempts: notifications.pushAttempts,
              error: notifications.pushLastError,
            })
            .from(notifications)
            .where(eq(notifications.id, id!))
        )[0];

      // Each child sender claims the row and dies in its send. The next one runs after the
      // lease (the longest is 1 h), on a clock 61 min later each time: well within the day
      // an order_ready push lives.
      const start = Date.now();
      const clock = (run: number) => new Date(start + run * 61 * 60_000);
      for (let run = 1; run <= PUSH_BACKOFF.maxAttempts; run++) {
        await runKilledChild(db, { file, killAt: 1, mode: 'before-send', now: clock(run) });
        expect(await state(), `after killed run ${run}`).toMatchObject({ status: 'pending', attempts: run });
      }
      // The next sender gives it up without sending it again, and carries on.
      await runKilledChild(db, {
        file,
        killAt: 1,
        mode: 'before-send',
        now: clock(PUSH_BACKOFF.maxAttempts + 1),
        expectKill: false,
      });
      expect(await state()).toEqual({
        status: 'failed',
        attempts: PUSH_BACKOFF.maxAttempts,
        error: abandonedError(PUSH_BACKOFF.maxAttempts),
      });
      expect(readSent(file)).toEqual([]);
      // And no later sender ever takes it again.
      expect(await drainNotifications(db.db, recordingChannel(file), { concurrency: 1, now: clock(100) })).toEqual({
        sent: 0,
        retried: 0,
        failed: 0,
        skipped: 0,
      });
    },
  );
});

describe('two concurrent senders', () => {
  it('on separate pools, in parallel, over 200 rows: every row is sent, none twice', async () => {
    const db = await freshDatabase();
    const ids = await seedNotifications(db.db, 200, 20);
    const pools = [createSql(db.url, 4), createSql(db.url, 4)];
    const sentBy: string[][] = [[], []];
    try {
      const channels = sentBy.map<PushChannel>((sent) => ({
        async send(message) {
          sent.push(message.data?.notification_id ?? '');
          await new Promise((r) => setTimeout(r, Math.random() * 3));
          return ok(message);
        },
      }));
      const results = await Promise.all(
        pools.map((pool, i) => drainNotifications(createDb(pool), channels[i]!, { concurrency: 4 })),
      );
      expect(results[0]!.sent + results[1]!.sent).toBe(200);
    } finally {
      await Promise.all(pools.map((p) => p.end({ timeout: 5 })));
    }
    const all = [...sentBy[0]!, ...sentBy[1]!];
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
    expect([...all].sort()).toEqual([...ids].sort());
    expect(sentBy[0]!.length).toBeGreaterThan(0);
    expect(sentBy[1]!.length).toBeGreaterThan(0);
    expect(await pushStatusCounts(db.db)).toEqual({ 'sent/1': 200 });
  });
});

describe("the worker's notification sender", () => {
  it('sends a committed notification on NOTIFY (long before the sweep) and stops promptly', async () => {
    const db = await freshDatabase();
    const lines: { level: string; msg: string; fields?: LogFields }[] = [];
    const sent: string[] = [];
    const sender = startNotificationSender({
      databaseUrl: db.url,
      log: memoryLogger(lines),
      channel: { send: async (m) => (sent.push(m.data?.notification_id ?? ''), ok(m)) },
      sweepMs: 60_000,
      concurrency: 2,
    });
    try {
      await waitUntil(() => lines.some((l) => l.msg === 'Notification sender started'), {
        ms: 5_000,
        what: 'the sender to start',
      });
      await new Promise((r) => setTimeout(r, 200));
      const [id] = await seedNotifications(db.db, 1, 1);
      await waitUntil(() => sent.includes(id!), { ms: 5_000, what: 'the notification to be sent' });
      await waitUntil(async () => (await pushStatusCounts(db.db))['sent/1'] === 1, {
        ms: 5_000,
        what: 'the row to be marked sent',
      });
    } finally {
      const started = Date.now();
      await sender.stop();
      expect(Date.now() - started).toBeLessThan(2_000);
    }
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(lines.at(-1)?.msg).toBe('Notification sender stopped');
  });

  it('without a channel, settles due rows as skipped ("push disabled") instead of leaving them pending', async () => {
    const db = await freshDatabase();
    await seedNotifications(db.db, 5, 2);
    const lines: { level: string; msg: string; fields?: LogFields }[] = [];
    const sender = startNotificationSender({
      databaseUrl: db.url,
      log: memoryLogger(lines),
      channel: null,
      sweepMs: 60_000,
      concurrency: 2,
    });
    try {
      await waitUntil(async () => (await pushStatusCounts(db.db))['skipped/0'] === 5, {
        ms: 5_000,
        what: 'every row to be skipped',
      });
    } finally {
      await sender.stop();
    }
    const reasons = await db.db.selectDistinct({ error: notifications.pushLastError }).from(notifications);
    expect(reasons).toEqual([{ error: 'push disabled' }]);
    expect(lines.find((l) => l.msg === 'Notification sender started')?.fields).toMatchObject({ push: 'off' });
  });
});
