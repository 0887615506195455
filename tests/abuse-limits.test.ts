import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders, users } from '@/db/schema';
import { registerCustomer, REGISTER_RATE_LIMITS } from '@/lib/accounts/register';
import { SIGN_IN_RATE_LIMITS, signInAccountKey, throttleSignIn } from '@/lib/auth/sign-in-limits';
import { cancelOrder, createOrder, OPEN_ORDER_STATUSES } from '@/lib/orders/order-flow';
import { SCAN_RATE_LIMITS, scanPickupCode } from '@/lib/pickup/collect';
import { currentPickupCode, issuePickupCode, verifyPickupToken } from '@/lib/pickup/token';
import { rejection } from './helpers/assert';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';

// Abuse limits against the real database, with an injected clock: sign-in failures, sign-ups,
// kiosk scans, the open-order cap, and pickup codes spent by a pickup.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

let ipSeq = 1;
const newIp = () => `10.7.${Math.floor(ipSeq / 250)}.${ipSeq++ % 250}`;
let acctSeq = 1;
const newAccount = () => `password:limit-${acctSeq++}@example.com`;

/** One sign-in attempt through the limiter; `ok` says whether the password was right. */
function attempt(who: { account: string; ip: string }, ok: boolean, now: Date) {
  return throttleSignIn(t.db, who, { attempt: async () => ({ result: ok ? 'signed-in' : 'wrong', failed: !ok }), now });
}

describe('failed sign-ins', () => {
  const start = new Date('2026-11-27T10:00:00Z'); // a 15-minute window boundary
  const { failuresPerAccount, failuresPerIp } = SIGN_IN_RATE_LIMITS;

  it('per account: after 10 failures, 429 with Retry-After from any address until the window ends', async () => {
    const account = newAccount();
    for (let i = 0; i < failuresPerAccount.limit; i++)
      expect(await attempt({ account, ip: newIp() }, false, start)).toBe('wrong');
    const at = new Date(start.getTime() + 60_000);
    const refused = await rejection(attempt({ account, ip: newIp() }, true, at));
    expect([refused.status, refused.code]).toEqual([429, 'rate_limited']);
    expect(refused.headers?.['Retry-After']).toBe(String(15 * 60 - 60));
    expect(refused.message).toContain('Try again in 840 s');
    // Refused attempts are not tried and not counted; the next window lets the right password in.
    expect(await attempt({ account, ip: newIp() }, true, new Date(start.getTime() + 15 * 60_000))).toBe('signed-in');
  });

  it("successes do not count, and one account signing in never resets another account's failures", async () => {
    const a = newAccount();
    const b = newAccount();
    const now = new Date('2026-11-27T11:00:00Z');
    for (let i = 0; i < 50; i++) expect(await attempt({ account: b, ip: newIp() }, true, now)).toBe('signed-in');
    for (let i = 0; i < failuresPerAccount.limit; i++) await attempt({ account: a, ip: newIp() }, false, now);
    expect(await attempt({ account: b, ip: newIp() }, true, now)).toBe('signed-in');
    expect((await rejection(attempt({ account: a, ip: newIp() }, true, now))).code).toBe('rate_limited');
    const [row] =
      await t.sql`select count from rate_limit_counters where bucket = ${failuresPerAccount.bucket} and key = ${b}`;
    expect(row?.count ?? 0).toBe(0);
  });

  it('per address: 20 failures across accounts, then 429 for every account from that address only', async () => {
    const ip = newIp();
    const now = new Date('2026-11-27T12:00:00Z');
    for (let i = 0; i < failuresPerIp.limit; i++) await attempt({ account: newAccount(), ip }, false, now);
    const refused = await rejection(attempt({ account: newAccount(), ip }, true, now));
    expect([refused.status, refused.headers?.['Retry-After']]).toEqual([429, String(15 * 60)]);
    expect(await attempt({ account: newAccount(), ip: newIp() }, true, now)).toBe('signed-in');
  });

  it('a burst of 30 parallel wrong passwords for one account gets exactly 10 tries', async () => {
    const account = newAccount();
    const now = new Date('2026-11-27T13:00:00Z');
    let tried = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () =>
        throttleSignIn(
          t.db,
          { account, ip: newIp() },
          {
            attempt: async () => {
              tried++;
              return { result: 'wrong', failed: true };
            },
            now,
          },
        ),
      ),
    );
    expect(tried).toBe(failuresPerAccount.limit);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(30 - failuresPerAccount.limit);
  });

  it('normalises the account a form names, so case and spacing do not dodge the limit', () => {
    const form = (o: Record<string, string>) => new URLSearchParams(o);
    expect(signInAccountKey('password', form({ email: '  Ada@Example.COM ' }))).toBe('password:ada@example.com');
    expect(signInAccountKey('phone', form({ phone_number: '+7 (999) 123-45-67' }))).toBe('phone:+79991234567');
    expect(signInAccountKey('password', form({}))).toBe('');
    expect(signInAccountKey('password', null)).toBe('');
  });
});

describe('registration per address', () => {
  it('20 sign-ups an hour per address, then 429 with Retry-After; other addresses and next hour are fine', async () => {
    const ip = newIp();
    const now = new Date('2026-11-27T14:00:00Z');
    const reg = (who: string, at: Date, from = ip) =>
      registerCustomer(
        t.db,
        { fullName: 'Limit Test', email: `${who}-${acctSeq++}@example.com`, password: 'password-123' },
        { ip: from, now: at },
      );
    for (let i = 0; i < REGISTER_RATE_LIMITS.perIpHour.limit; i++) await reg('ok', now);
    const before = (await t.sql`select count(*)::int as n from users`)[0]?.n;
    const refused = await rejection(reg('refused', new Date(now.getTime() + 30 * 60_000)));
    expect([refused.status, refused.code, refused.headers?.['Retry-After']]).toEqual([
      429,
      'rate_limited',
      String(30 * 60),
    ]);
    expect((await t.sql`select count(*)::int as n from users`)[0]?.n).toBe(before);
    await reg('other-ip', now, newIp());
    await reg('next-hour', new Date(now.getTime() + 60 * 60_000));
  });
});

const SECRET = Buffer.alloc(32, 3);

/** A parcel of `userId` waiting in a pickup cell at `automatId` (test setup: status set directly). */
async function waitingParcel(userId: string, automatId: string) {
  const good = await makeGood(t.db);
  const order = await createOrder(
    t.db,
    { userId, goodId: good.id, automatId },
    { actor: { type: 'customer', id: userId }, opts: { maxOpenOrders: 100 } },
  );
  await t.sql`update locker_cells_out set status = 'occupied' where id = ${order.lockerCellId}`;
  await t.sql`update orders set status = 'delivered' where id = ${order.id}`;
  return order.id;
}

describe('kiosk scans spend the pickup code', () => {
  it('a cell-opening scan rotates the code atomically: old token refused, the new opens the next parcel', async () => {
    const user = await makeUser(t.db);
    const automat = await makeAutomat(t.db);
    const now = new Date('2026-11-27T15:00:00Z');
    const first = await issuePickupCode(t.db, user.id, { now, secret: SECRET });
    const o1 = await waitingParcel(user.id, automat.id);

    const opened = await scanPickupCode(t.db, { automatId: automat.id, qr: first.token }, { now, secret: SECRET });
    expect(opened.map((o) => o.orderId)).toEqual([o1]);
    const [u] = await t.db.select({ issuedAt: users.qrIssuedAt }).from(users).where(eq(users.id, user.id));
    expect(u!.issuedAt!.getTime()).toBeGreaterThan(first.issuedAt.getTime());
    expect((await rejection(verifyPickupToken(t.db, first.token, { now, secret: SECRET }))).code).toBe('qr_expired');

    // Repeating the scan (nothing left here) is still the contract's nothing_to_collect ...
    const repeat = await rejection(
      scanPickupCode(t.db, { automatId: automat.id, qr: first.token }, { now, secret: SECRET }),
    );
    expect([repeat.status, repeat.code]).toEqual([404, 'nothing_to_collect']);
    // ... but the photographed code does not open the next parcel: 410 qr_expired, nothing changes.
    const o2 = await waitingParcel(user.id, automat.id);
    const spent = await rejection(
      scanPickupCode(t.db, { automatId: automat.id, qr: first.token }, { now, secret: SECRET }),
    );
    expect([spent.status, spent.code]).toEqual([410, 'qr_expired']);
    expect((await t.db.select({ s: orders.status }).from(orders).where(eq(orders.id, o2)))[0]?.s).toBe('delivered');

    // The code the pickup page now shows (the rotated one) opens the next parcel.
    const newest = (await currentPickupCode(t.db, user.id, { now, secret: SECRET })).token;
    expect(newest).not.toBe(first.token);
    expect(
      (await scanPickupCode(t.db, { automatId: automat.id, qr: newest }, { now, secret: SECRET })).map(
        (o) => o.orderId,
      ),
    ).toEqual([o2]);
  });

  it('a code replaced by hand (not spent by a pickup) is qr_expired even with nothing waiting', async () => {
    const user = await makeUser(t.db);
    const automat = await makeAutomat(t.db);
    const now = new Date('2026-11-27T15:05:00Z');
    const first = await issuePickupCode(t.db, user.id, { now, secret: SECRET });
    await waitingParcel(user.id, automat.id);
    await scanPickupCode(t.db, { automatId: automat.id, qr: first.token }, { now, secret: SECRET });
    const afterPickup = await currentPickupCode(t.db, user.id, { now, secret: SECRET });
    await issuePickupCode(t.db, user.id, { now, secret: SECRET }); // "New code" on the pickup page
    for (const old of [first.token, afterPickup.token]) {
      const e = await rejection(scanPickupCode(t.db, { automatId: automat.id, qr: old }, { now, secret: SECRET }));
      expect([e.status, e.code]).toEqual([410, 'qr_expired']);
    }
  });

  it('a failed scan rolls back and leaves the code valid (nothing waiting here)', async () => {
    const user = await makeUser(t.db);
    const automat = await makeAutomat(t.db);
    const now = new Date('2026-11-27T15:10:00Z');
    const code = await issuePickupCode(t.db, user.id, { now, secret: SECRET });
    const e = await rejection(scanPickupCode(t.db, { automatId: automat.id, qr: code.token }, { now, secret: SECRET }));
    expect(e.code).toBe('nothing_to_collect');
    expect(await verifyPickupToken(t.db, code.token, { now, secret: SECRET })).toEqual({ userId: user.id });
  });

  it('30 bad codes at an automat in 10 min: 429 for all its scans, even good ones; others unaffected', async () => {
    const user = await makeUser(t.db);
    const busy = await makeAutomat(t.db);
    const other = await makeAutomat(t.db);
    const now = new Date('2026-11-27T16:00:00Z');
    const code = await issuePickupCode(t.db, user.id, { now, secret: SECRET });
    await waitingParcel(user.id, busy.id);
    for (let i = 0; i < SCAN_RATE_LIMITS.failuresPerAutomat.limit; i++) {
      expect(
        (await rejection(scanPickupCode(t.db, { automatId: busy.id, qr: `SP1.forged.${i}` }, { now, secret: SECRET })))
          .code,
      ).toBe('invalid_qr');
    }
    const refused = await rejection(
      scanPickupCode(
        t.db,
        { automatId: busy.id, qr: code.token },
        { now: new Date(now.getTime() + 120_000), secret: SECRET },
      ),
    );
    expect([refused.status, refused.code, refused.headers?.['Retry-After']]).toEqual([
      429,
      'rate_limited',
      String(8 * 60),
    ]);
    expect(
      (await rejection(scanPickupCode(t.db, { automatId: other.id, qr: 'SP1.forged.x' }, { now, secret: SECRET })))
        .code,
    ).toBe('invalid_qr');
    // After the window the good code works.
    expect(
      await scanPickupCode(
        t.db,
        { automatId: busy.id, qr: code.token },
        { now: new Date(now.getTime() + 10 * 60_000), secret: SECRET },
      ),
    ).toHaveLength(1);
  });
});

describe('open orders per customer', () => {
  it('counts pending, processing and delivered orders', () => {
    expect([...OPEN_ORDER_STATUSES]).toEqual(['pending', 'processing', 'delivered']);
  });

  it('10 parallel orders, cap 5: exactly 5 orders, 5 409 too_many_orders; cancelling one frees a place', async () => {
    const user = await makeUser(t.db);
    const good = await makeGood(t.db, { quantityAvailable: 20 });
    const automat = await makeAutomat(t.db, { external: [{ count: 15 }] });
    const place = () =>
      createOrder(
        t.db,
        { userId: user.id, goodId: good.id, automatId: automat.id },
        { actor: { type: 'customer', id: user.id }, opts: { maxOpenOrders: 5 } },
      );
    const results = await Promise.allSettled(Array.from({ length: 10 }, place));
    const created = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) =>
      r.status === 'rejected' ? [r.reason as { status: number; code: string }] : [],
    );
    expect(created).toHaveLength(5);
    expect(refused.map((e) => [e.status, e.code])).toEqual(Array.from({ length: 5 }, () => [409, 'too_many_orders']));
    const rows = await t.sql`select status from orders where user_id = ${user.id}`;
    expect(rows).toHaveLength(5);
    const [g] = await t.sql`select quantity_available as q from goods where id = ${good.id}`;
    expect(g?.q).toBe(15); // refused orders took no stock

    const first = (created[0] as PromiseFulfilledResult<{ id: string }>).value;
    await cancelOrder(t.db, { orderId: first.id, userId: user.id }, { type: 'customer', id: user.id });
    await place();
    expect((await rejection(place())).code).toBe('too_many_orders');
    // Collected orders are not open.
    await t.sql`
      update orders set status = 'completed'
      where user_id = ${user.id} and status = 'pending'
        and id = (select id from orders where user_id = ${user.id} and status = 'pending' limit 1)`;
    await place();
  });
});
