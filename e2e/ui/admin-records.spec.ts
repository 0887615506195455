import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { databaseUrl, uid } from '../api/helpers';
import { authFile } from '../fixtures';

// The admin portal's records: what the lists count, and history that survives.

test.use({ storageState: authFile('admin') });

test('the users list counts a customer’s orders and open orders @locales', async ({ page }) => {
  const sql = postgres(databaseUrl, { max: 1 });
  const email = `e2e.counts.${uid()}@example.com`;
  try {
    const [user] = await sql<{ id: string }[]>`insert into users (full_name, email) values ('Counted Customer', ${email}) returning id`;
    const [good] = await sql<{ id: string }[]>`select id from goods order by name limit 1`;
    const [automat] = await sql<{ id: string }[]>`select id from parcel_automats where is_working order by aruco_id limit 1`;
    // One open order only: the case the list once showed as "0 (0)".
    await sql`insert into orders (user_id, good_id, parcel_automat_id, status) values (${user!.id}, ${good!.id}, ${automat!.id}, 'pending')`;

    await page.goto(`/admin/users?q=${encodeURIComponent(email)}`);
    const row = page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: email });
    await expect(row.getByTestId('order-counts')).toHaveText('1 · 1 open');

    // Collected: still one order, none open.
    await sql`update orders set status = 'cancelled' where user_id = ${user!.id}`;
    await sql`insert into orders (user_id, good_id, parcel_automat_id, status) values (${user!.id}, ${good!.id}, ${automat!.id}, 'completed')`;
    await page.reload();
    await expect(row.getByTestId('order-counts')).toHaveText('2');
  } finally {
    await sql.end();
  }
});

test('a good with an order is archived, not deleted: hidden from the catalog and ordering, kept in the history, restorable @locales', async ({ page, playwright, baseURL }) => {
  const sql = postgres(databaseUrl, { max: 1 });
  const name = `E2E Archived Lamp ${uid()}`;
  const customer = await playwright.request.newContext({ baseURL, storageState: authFile('customer') });
  try {
    const [good] = await sql<{ id: string }[]>`insert into goods (name, weight, height, length, width, quantity_available) values (${name}, 1, 10, 20, 15, 3) returning id`;
    const [automat] = await sql<{ id: string }[]>`select id from parcel_automats where is_working and archived_at is null order by aruco_id limit 1`;
    // A past order of the signed-in demo customer: collected long ago.
    const [order] = await sql<{ id: string }[]>`insert into orders (user_id, good_id, parcel_automat_id, status)
      select id, ${good!.id}, ${automat!.id}, 'completed' from users where email = 'user@example.com' returning id`;

    await page.goto(`/admin/goods/${good!.id}`);
    await expect(page.getByText('It cannot be deleted: 1 order names it')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Delete good' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Archive good' }).click();
    await expect(page.getByRole('heading', { name: 'Archived', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Restore to the catalog' })).toBeVisible();

    // Gone from the catalog and from ordering; the past order keeps it.
    const catalog = await (await customer.get(`/catalog?q=${encodeURIComponent(name)}`)).text();
    expect(catalog).toContain('Nothing matches');
    expect(catalog).not.toContain(`/order/${good!.id}`);
    expect((await customer.get(`/order/${good!.id}`)).status()).toBe(404);
    const refused = await customer.post('/api/orders', { data: { good_id: good!.id, parcel_automat_id: automat!.id } });
    expect(refused.status()).toBe(404);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect(await (await customer.get(`/orders/${order!.id}`)).text()).toContain(name);

    // The admin list hides it by default and shows it, badged, under "Archived".
    await page.goto('/admin/goods');
    await expect(page.getByRole('table', { name: 'Goods' })).not.toContainText(name);
    await page.getByRole('navigation', { name: 'Show goods' }).getByRole('link', { name: 'Archived' }).click();
    await expect(page).toHaveURL(/\/admin\/goods\?show=archived$/);
    const row = page.getByRole('table', { name: 'Goods' }).getByRole('row').filter({ hasText: name });
    await expect(row).toContainText('Archived');

    const [kept] = await sql`select (select count(*)::int from orders where id = ${order!.id}) as orders, (select archived_at is not null from goods where id = ${good!.id}) as archived`;
    expect(kept).toEqual({ orders: 1, archived: true });

    await row.getByRole('link', { name }).click();
    await page.getByRole('button', { name: 'Restore to the catalog' }).click();
    await expect(page.getByRole('button', { name: 'Archive good' })).toBeVisible();
    expect(await (await customer.get(`/catalog?q=${encodeURIComponent(name)}`)).text()).toContain(`/order/${good!.id}`);
    const audit = await sql`select action from audit_logs where resource_id = ${good!.id} order by id`;
    expect(audit.map((r) => r.action)).toEqual(['good.archived', 'good.restored']);
  } finally {
    await customer.dispose();
    await sql.end();
  }
});
