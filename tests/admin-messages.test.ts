import { createTranslator } from 'next-intl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from '@/i18n/config';
import { loadMessages } from '@/i18n/messages';
import { adjustStock, deleteGood, setGoodArchived } from '@/lib/admin/goods';
import {
  cancelOrderAsAdmin,
  planDeliveryRetry,
  retryDeliveryAsAdmin,
  type RetryRefusal,
  type RetryWait,
} from '@/lib/admin/orders';
import { AdminRefusal } from '@/lib/admin/refusal';
import { changeUserRole } from '@/lib/admin/users';
import { zonedDayEnd, zonedDayStart } from '@/lib/admin/zoned-day';
import { cancelOrder, createOrder } from '@/lib/orders/order-flow';
import { rejection } from './helpers/assert';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';

// The operator portal says its refusals in the operator's language: each refusal of lib/admin
// carries a message-catalog key (the English message stays for the JSON API), and every key
// it can carry exists, with its arguments, in both languages.

const translators = Object.fromEntries(
  LOCALES.map((l) => [
    l,
    createTranslator({
      locale: l,
      messages: loadMessages(l),
      timeZone: 'Europe/Moscow',
      onError: (e) => {
        throw e;
      },
    }),
  ]),
) as Record<Locale, ReturnType<typeof createTranslator>>;

/** The refusal's text in a language; throws when the key is missing or an argument is. */
function say(locale: Locale, err: unknown): string {
  expect(err).toBeInstanceOf(AdminRefusal);
  const r = err as AdminRefusal;
  expect(translators[locale].has(r.key as never), `${locale}: ${r.key}`).toBe(true);
  return translators[locale](r.key as never, r.values as never);
}

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const ctx = (userId: string) => ({ userId, userEmail: 'ops@example.com', ip: '10.1.2.3', userAgent: 'vitest' });
const asCustomer = (id: string) => ({ type: 'customer' as const, id });

describe('refusals of catalog, order and user changes', () => {
  it('are worded in English and Russian, with correct plurals', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const customer = await makeUser(t.db);
    const good = await makeGood(t.db, { quantityAvailable: 2 });
    const automat = await makeAutomat(t.db, { external: [{ count: 3 }], internal: [{ count: 2 }] });
    const c = ctx(admin.id);
    const order = await createOrder(
      t.db,
      { userId: customer.id, goodId: good.id, automatId: automat.id },
      { actor: asCustomer(customer.id) },
    );

    const open = await rejection(setGoodArchived(t.db, c, { id: good.id, archived: true }));
    expect(say('en', open)).toBe(
      '1 order of this good is still open. Archive it when that order is collected or cancelled.',
    );
    expect(say('ru', open)).toBe(
      '1 заказ этого товара ещё не завершён. Перенесите товар в архив, когда заказ получат или отменят.',
    );

    const stock = await rejection(adjustStock(t.db, c, { id: good.id, delta: -5 }));
    expect((stock as AdminRefusal).fields).toEqual({ delta: 'At most 1 can be removed' });
    expect(say('ru', stock)).toBe(
      'Остаток не может стать меньше нуля: в наличии 1, поэтому списать можно не больше 1.',
    );
    expect(
      translators.ru((stock as AdminRefusal).fieldKeys.delta as never, (stock as AdminRefusal).values as never),
    ).toBe('Списать можно не больше 1');

    await cancelOrder(t.db, { orderId: order.id, userId: customer.id }, asCustomer(customer.id));
    const second = await createOrder(
      t.db,
      { userId: customer.id, goodId: good.id, automatId: automat.id },
      { actor: asCustomer(customer.id) },
    );
    await cancelOrder(t.db, { orderId: second.id, userId: customer.id }, asCustomer(customer.id));
    const kept = await rejection(deleteGood(t.db, c, good.id));
    expect(say('en', kept)).toMatch(/^2 orders name this good/);
    expect(say('ru', kept)).toMatch(/^Товар есть в 2 заказах,/);

    const cancelled = await rejection(cancelOrderAsAdmin(t.db, c, { orderId: order.id, reason: 'duplicate' }));
    expect(say('ru', cancelled)).toMatch(/^Отменить можно только заказ/);
    // Cancelled by the customer: the retry refusal names who cancelled it.
    const retry = await rejection(
      retryDeliveryAsAdmin(t.db, c, {
        orderId: order.id,
        reason: 'try again',
        dispatch: { minBattery: 30, offlineAfterMs: 30_000 },
      }),
    );
    expect(say('en', retry)).toMatch(/^This order was cancelled by the customer, not because/);
    expect(say('ru', retry)).toMatch(/^Этот заказ отменил покупатель, а не/);

    expect(say('ru', await rejection(changeUserRole(t.db, c, { userId: admin.id, role: 'client' })))).toBe(
      'Свою роль изменить нельзя. Попросите другого администратора.',
    );
    expect(
      say(
        'en',
        await rejection(changeUserRole(t.db, c, { userId: '00000000-0000-4000-8000-000000000000', role: 'admin' })),
      ),
    ).toMatch(/^This user no longer exists/);
  });

  it('cover every retry refusal and every waiting outcome in both languages', () => {
    const refusals: RetryRefusal[] = ['collected', 'in_locker', 'in_flight', 'never_failed', 'cancelled'];
    const plans = [
      planDeliveryRetry({ status: 'completed', lastDelivery: 'completed', cancelledBy: null }),
      planDeliveryRetry({ status: 'delivered', lastDelivery: 'completed', cancelledBy: null }),
      planDeliveryRetry({ status: 'processing', lastDelivery: 'in_progress', cancelledBy: null }),
      planDeliveryRetry({ status: 'pending', lastDelivery: null, cancelledBy: null }),
      planDeliveryRetry({ status: 'cancelled', lastDelivery: 'failed', cancelledBy: 'admin' }),
    ];
    expect(plans.map((p) => (p.kind === 'refused' ? p.reason : p.kind))).toEqual(refusals);
    const waits: RetryWait[] = ['no_drone', 'no_internal_cell', 'no_external_cell', 'changed'];
    for (const l of LOCALES) {
      for (const r of [...refusals, 'out_of_stock', 'no_capacity', 'archived'])
        expect(translators[l](`adminOps.retry.refused.${r}` as never, { by: 'admin' } as never)).not.toBe('');
      for (const w of waits)
        expect(translators[l](`adminOps.retry.result.${w}` as never, { status: 'x' } as never)).not.toBe('');
    }
  });
});

describe('zonedDayStart', () => {
  it('is the midnight of that calendar day in the zone, DST included', () => {
    expect(zonedDayStart('2026-11-27', 'Europe/Moscow').toISOString()).toBe('2026-11-26T21:00:00.000Z');
    expect(zonedDayEnd('2026-11-27', 'Europe/Moscow').toISOString()).toBe('2026-11-27T21:00:00.000Z');
    // New York springs forward on 8 March 2026: that day starts at UTC-5, the next at UTC-4.
    expect(zonedDayStart('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(zonedDayEnd('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(zonedDayStart('2026-12-31', 'UTC').toISOString()).toBe('2026-12-31T00:00:00.000Z');
  });
});
