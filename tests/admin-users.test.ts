import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getUserAdmin, listUsersAdmin } from '@/db/queries/users';
import { orders, userDevices } from '@/db/schema';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';

// The admin user list's order counts and the user page's device count. Both were once
// correlated subqueries in a single-table select, which drizzle writes with unqualified
// columns: `user_id = id` compared each order with itself, and every count was 0.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

async function listed(email: string) {
  const { rows, total } = await listUsersAdmin(t.db, { q: email, page: 1, pageSize: 50 });
  expect(total).toBe(1);
  return rows[0]!;
}

describe('admin users list: order counts', () => {
  it('a customer with one open order shows 1 order, 1 open', async () => {
    const customer = await makeUser(t.db);
    const good = await makeGood(t.db);
    const automat = await makeAutomat(t.db);
    await t.db
      .insert(orders)
      .values({ userId: customer.id, goodId: good.id, parcelAutomatId: automat.id, status: 'pending' });
    const row = await listed(customer.email!);
    expect({ orders: row.orders, open: row.openOrders }).toEqual({ orders: 1, open: 1 });
  });

  it('counts every status, and only pending, processing and delivered as open', async () => {
    const customer = await makeUser(t.db);
    const other = await makeUser(t.db);
    const good = await makeGood(t.db);
    const automat = await makeAutomat(t.db);
    const statuses = ['pending', 'processing', 'delivered', 'completed', 'completed', 'cancelled'] as const;
    await t.db
      .insert(orders)
      .values(
        statuses.map((status) => ({ userId: customer.id, goodId: good.id, parcelAutomatId: automat.id, status })),
      );
    // Another customer's orders never count for this one.
    await t.db
      .insert(orders)
      .values({ userId: other.id, goodId: good.id, parcelAutomatId: automat.id, status: 'pending' });
    const row = await listed(customer.email!);
    expect({ orders: row.orders, open: row.openOrders }).toEqual({ orders: 6, open: 3 });
    const otherRow = await listed(other.email!);
    expect({ orders: otherRow.orders, open: otherRow.openOrders }).toEqual({ orders: 1, open: 1 });
  });

  it('a user without orders shows 0 and 0 (a row, not a missing one), and paging still counts users', async () => {
    const lonely = await makeUser(t.db, { fullName: 'Nobody Ordered' });
    const row = await listed(lonely.email!);
    expect({ orders: row.orders, open: row.openOrders }).toEqual({ orders: 0, open: 0 });
    const { rows, total } = await listUsersAdmin(t.db, { page: 1, pageSize: 2 });
    expect(rows).toHaveLength(2);
    expect(total).toBeGreaterThanOrEqual(3);
  });

  it('the user page counts the user’s push devices', async () => {
    const customer = await makeUser(t.db);
    const other = await makeUser(t.db);
    await t.db.insert(userDevices).values([
      { userId: customer.id, token: `tok-${customer.id}-1`, platform: 'android' },
      { userId: customer.id, token: `tok-${customer.id}-2`, platform: 'web' },
      { userId: other.id, token: `tok-${other.id}-1`, platform: 'ios' },
    ]);
    expect((await getUserAdmin(t.db, { id: customer.id }))?.devices).toBe(2);
    expect((await getUserAdmin(t.db, { id: (await makeUser(t.db)).id }))?.devices).toBe(0);
  });
});
