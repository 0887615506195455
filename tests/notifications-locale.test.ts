import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drones, NOTIFICATION_KINDS, users } from '@/db/schema';
import { eq } from 'drizzle-orm';
import { adoptBrowserLocale, chooseLocale } from '@/lib/accounts/locale';
import { applyDroneEvent, claimAndAssignBatch, transferToPickupCell } from '@/lib/dispatch/delivery-flow';
import { notificationMessage, type NotificationFacts } from '@/lib/notifications/messages';
import { queuePickupReminders } from '@/lib/notifications/reminders';
import { createOrder } from '@/lib/orders/order-flow';
import { recordTelemetry } from '@/lib/telemetry/record';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';

// Notifications are written in the customer's language (users.locale), in-app and push alike
// (push sends the stored title and body), with plurals and times right in both languages.

const facts: NotificationFacts = {
  orderId: '00000000-0000-4000-8000-000000000001',
  good: 'Kettle',
  address: 'Red Square, 1',
  city: 'Moscow',
};

describe('notificationMessage', () => {
  it('has a title and a body for every kind in both languages, Russian in Cyrillic', () => {
    for (const kind of NOTIFICATION_KINDS) {
      const en = notificationMessage(
        kind,
        { ...facts, cellNumber: 4, reason: 'Out of stock', codeExpiresAt: new Date(), waitingDays: 2 },
        'en',
      );
      const ru = notificationMessage(
        kind,
        { ...facts, cellNumber: 4, reason: 'Out of stock', codeExpiresAt: new Date(), waitingDays: 2 },
        'ru',
      );
      expect(en.title, kind).toMatch(/^[A-Z]/);
      expect(ru.title, kind).toMatch(/[А-Яа-яЁё]/);
      expect(ru.body, kind).toContain('«Kettle»');
      expect(ru.link, kind).toBe(en.link);
    }
  });

  it('says "a day", "2 days" in English and день/дня/дней by the Russian rules', () => {
    const reminder = (locale: 'en' | 'ru', waitingDays: number) =>
      notificationMessage('pickup_reminder', { ...facts, waitingDays }, locale).body;
    expect(reminder('en', 1)).toContain('waiting for a day at Red Square, 1, Moscow.');
    expect(reminder('en', 2)).toContain('waiting for 2 days at');
    expect(reminder('en', 21)).toContain('waiting for 21 days at');
    const ru: [number, string][] = [
      [1, '1 день'],
      [2, '2 дня'],
      [4, '4 дня'],
      [5, '5 дней'],
      [11, '11 дней'],
      [14, '14 дней'],
      [21, '21 день'],
      [22, '22 дня'],
      [25, '25 дней'],
      [101, '101 день'],
    ];
    for (const [n, text] of ru) expect(reminder('ru', n), String(n)).toContain(`уже ${text}.`);
  });

  it("gives times in the deployment zone (Moscow), in each language's clock", () => {
    const codeExpiresAt = new Date('2026-11-27T12:58:00Z');
    expect(notificationMessage('pickup_code_expiring', { ...facts, codeExpiresAt }, 'en').body).toContain(
      'stops working at 3:58 PM.',
    );
    expect(notificationMessage('pickup_code_expiring', { ...facts, codeExpiresAt }, 'ru').body).toContain(
      'действует до 15:58.',
    );
  });

  it('keeps the English texts the app has always sent', () => {
    expect(notificationMessage('order_ready', { ...facts, cellNumber: 7 }, 'en')).toEqual({
      title: 'Ready in cell 7',
      body: 'Your Kettle is in the locker at Red Square, 1, Moscow, cell 7. Show your pickup code at the locker.',
      link: '/pickup',
    });
    expect(notificationMessage('order_cancelled', { ...facts, reason: 'Changed my mind' }, 'en').body).toBe(
      'Your order of Kettle was cancelled: Changed my mind. Nothing is charged for it.',
    );
  });
});

describe("notifications in the customer's language", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await t.sql`update drones set status = 'maintenance' where status = 'idle'`;
  });
  afterAll(async () => {
    await t?.drop();
  });

  const AT = { lat: 55.7558, lon: 37.6173 };
  const rows = (orderId: string) =>
    t.sql<
      { kind: string; title: string; body: string }[]
    >`select kind, title, body from notifications where order_id = ${orderId} order by created_at, kind`;

  it('a Russian customer gets Russian texts, an English one English, from batch assignment to reminder', async () => {
    const good = await makeGood(t.db, { name: 'Чайник' });
    const automat = await makeAutomat(t.db, {
      coordinates: `${AT.lat},${AT.lon}`,
      external: [{ count: 4 }],
      internal: [{ count: 4 }],
    });
    const ru = await makeUser(t.db);
    const en = await makeUser(t.db);
    await chooseLocale(t.db, ru.id, 'ru');
    for (const [i, user] of [ru, en].entries()) {
      const [d] = await t.db
        .insert(drones)
        .values({ model: 'Clover 4', ipAddress: `10.8.0.${i + 1}`, status: 'idle' })
        .returning({ id: drones.id });
      await recordTelemetry(t.db, {
        droneId: d!.id,
        readings: [{ lat: AT.lat + 0.01, lon: AT.lon, battery_level: 95 }],
      });
      await createOrder(
        t.db,
        { userId: user.id, goodId: good.id, automatId: automat.id },
        { actor: { type: 'customer', id: user.id } },
      );
    }
    // The worker's path: both orders assigned in one batch transaction.
    const outcomes = await claimAndAssignBatch(t.db, { minBattery: 30, offlineAfterMs: 60_000, limit: 10 });
    const assigned = outcomes.filter((o) => o.kind === 'assigned');
    expect(assigned).toHaveLength(2);
    for (const a of assigned) {
      if (a.kind !== 'assigned') continue;
      await applyDroneEvent(t.db, { deliveryId: a.deliveryId, droneId: a.droneId, event: { type: 'started' } });
      await applyDroneEvent(t.db, { deliveryId: a.deliveryId, droneId: a.droneId, event: { type: 'dropped' } });
      await transferToPickupCell(t.db, { automatId: automat.id, deliveryId: a.deliveryId });
    }
    const orderOf = async (userId: string) =>
      (await t.sql<{ id: string }[]>`select id from orders where user_id = ${userId}`)[0]!.id;
    const [ruOrder, enOrder] = [await orderOf(ru.id), await orderOf(en.id)];
    // Five days in the locker: the reminder counts them.
    await t.sql`update delivery_events set created_at = now() - interval '5 days 1 hour'
      where event = 'in_locker' and order_id in (${ruOrder}, ${enOrder})`;
    await queuePickupReminders(t.db);

    const ruRows = await rows(ruOrder);
    expect(ruRows.map((r) => r.kind)).toEqual(['order_assigned', 'order_ready', 'pickup_reminder']);
    expect(ruRows[0]).toMatchObject({
      title: 'Дрон забрал ваш заказ',
      body: expect.stringContaining('Ваш заказ «Чайник» летит в постамат'),
    });
    expect(ruRows[1]!.title).toMatch(/^Заказ ждёт вас в ячейке \d+$/);
    expect(ruRows[2]!.body).toContain('уже 5 дней.');

    const enRows = await rows(enOrder);
    expect(enRows.map((r) => r.kind)).toEqual(['order_assigned', 'order_ready', 'pickup_reminder']);
    expect(enRows[0]!.title).toBe('A drone took your order');
    expect(enRows[1]!.title).toMatch(/^Ready in cell \d+$/);
    expect(enRows[2]!.body).toContain('has been waiting for 5 days at');
  });

  it('keeps the browser language of registration or first sign-in only until the customer chooses', async () => {
    const u = await makeUser(t.db);
    const locale = async () =>
      (await t.db.select({ locale: users.locale, setAt: users.localeSetAt }).from(users).where(eq(users.id, u.id)))[0]!;
    expect(await locale()).toEqual({ locale: 'en', setAt: null });
    expect(await adoptBrowserLocale(t.db, u.id, 'ru')).toBe(true);
    expect((await locale()).locale).toBe('ru');
    // A later sign-in from an English browser keeps the account's language.
    expect(await adoptBrowserLocale(t.db, u.id, 'en')).toBe(false);
    expect((await locale()).locale).toBe('ru');
    await chooseLocale(t.db, u.id, 'en');
    expect((await locale()).locale).toBe('en');
    // The database refuses a language the app does not have.
    await expect(t.sql`update users set locale = 'de' where id = ${u.id}`).rejects.toMatchObject({
      constraint_name: 'users_locale_check',
    });
  });
});
