import { createFormatter } from 'next-intl';
import postgres from 'postgres';
import { formats } from '@/i18n/formats';
import { databaseUrl, uid } from '../api/helpers';
import { authFile, expect, hydrated, test } from '../fixtures';

// The admin portal's records: what the lists count, and history that survives. Every test
// runs in both locale projects, so elements are found by the site's messages in the browser's
// language (the fixture's `t`), by roles and by test ids.

test.use({ storageState: authFile('admin') });

test('the users list counts a customer’s orders and open orders @locales', async ({ page, t }) => {
  const sql = postgres(databaseUrl, { max: 1 });
  const email = `e2e.counts.${uid()}@example.com`;
  const counts = (orders: number, open: number) =>
    t.markup('adminOps.users.orderCounts', { orders, open, muted: (chunks) => chunks });
  try {
    const [user] = await sql<
      { id: string }[]
    >`insert into users (full_name, email) values ('Counted Customer', ${email}) returning id`;
    const [good] = await sql<{ id: string }[]>`select id from goods order by name limit 1`;
    const [automat] = await sql<
      { id: string }[]
    >`select id from parcel_automats where is_working order by aruco_id limit 1`;
    // One open order only: the case the list once showed as "0 (0)".
    await sql`
      insert into orders (user_id, good_id, parcel_automat_id, status)
      values (${user!.id}, ${good!.id}, ${automat!.id}, 'pending')`;

    await page.goto(`/admin/users?q=${encodeURIComponent(email)}`);
    const row = page
      .getByRole('table', { name: t('adminOps.users.table') })
      .getByRole('row')
      .filter({ hasText: email });
    await expect(row.getByTestId('order-counts')).toHaveText(counts(1, 1));
    expect(counts(1, 1)).toMatch(/^1 · 1 /);
    await expect(page.getByText(t('adminOps.users.count', { count: 1 }), { exact: false })).toBeVisible();

    // Collected: still one order, none open.
    await sql`update orders set status = 'cancelled' where user_id = ${user!.id}`;
    await sql`
      insert into orders (user_id, good_id, parcel_automat_id, status)
      values (${user!.id}, ${good!.id}, ${automat!.id}, 'completed')`;
    await page.reload();
    await expect(row.getByTestId('order-counts')).toHaveText('2');
  } finally {
    await sql.end();
  }
});

test('an ordered good is archived, not deleted: not listed or orderable, kept in history, restorable @locales', async ({
  page,
  playwright,
  baseURL,
  t,
  locale,
}) => {
  const sql = postgres(databaseUrl, { max: 1 });
  const name = `E2E Archived Lamp ${uid()}`;
  // The customer's side in the same language as this project's browser.
  const customer = await playwright.request.newContext({
    baseURL,
    storageState: authFile('customer'),
    extraHTTPHeaders: { 'Accept-Language': locale },
  });
  try {
    const [good] = await sql<{ id: string }[]>`
      insert into goods (name, weight, height, length, width, quantity_available)
      values (${name}, 1, 10, 20, 15, 3) returning id`;
    const [automat] = await sql<
      { id: string }[]
    >`select id from parcel_automats where is_working and archived_at is null order by aruco_id limit 1`;
    // A past order of the signed-in demo customer: collected long ago.
    const [order] = await sql<{ id: string }[]>`insert into orders (user_id, good_id, parcel_automat_id, status)
      select id, ${good!.id}, ${automat!.id}, 'completed' from users where email = 'user@example.com' returning id`;

    await page.goto(`/admin/goods/${good!.id}`);
    await expect(page.getByText(t('adminCatalog.form.cannotDelete', { count: 1 }))).toBeVisible();
    await expect(page.getByRole('button', { name: t('adminCatalog.form.delete') })).toHaveCount(0);
    await page.getByRole('button', { name: t('adminCatalog.form.archive') }).click();
    await expect(page.getByRole('heading', { name: t('adminCatalog.panels.archived'), exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: t('adminCatalog.form.restore') })).toBeVisible();

    // Gone from the catalog and from ordering; the past order keeps it.
    const catalog = await (await customer.get(`/catalog?q=${encodeURIComponent(name)}`)).text();
    expect(catalog).toContain(t('catalog.noMatchHint'));
    expect(catalog).not.toContain(`/order/${good!.id}`);
    expect((await customer.get(`/order/${good!.id}`)).status()).toBe(404);
    const refused = await customer.post('/api/orders', { data: { good_id: good!.id, parcel_automat_id: automat!.id } });
    expect(refused.status()).toBe(404);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect(await (await customer.get(`/orders/${order!.id}`)).text()).toContain(name);

    // The admin list hides it by default and shows it, badged, under "Archived".
    await page.goto('/admin/goods');
    const table = page.getByRole('table', { name: t('adminCatalog.table') });
    await expect(table).toBeVisible();
    await expect(table).not.toContainText(name);
    await page
      .getByRole('navigation', { name: t('adminCatalog.showGoods') })
      .getByRole('link', { name: t('adminCommon.archiveView.archived') })
      .click();
    await expect(page).toHaveURL(/\/admin\/goods\?show=archived$/);
    const row = table.getByRole('row').filter({ hasText: name });
    await expect(row).toContainText(t('adminCatalog.archivedBadge'));

    const [kept] = await sql`
        select (select count(*)::int from orders where id = ${order!.id}) as orders,
          (select archived_at is not null from goods where id = ${good!.id}) as archived`;
    expect(kept).toEqual({ orders: 1, archived: true });

    await row.getByRole('link', { name }).click();
    await page.getByRole('button', { name: t('adminCatalog.form.restore') }).click();
    await expect(page.getByRole('button', { name: t('adminCatalog.form.archive') })).toBeVisible();
    expect(await (await customer.get(`/catalog?q=${encodeURIComponent(name)}`)).text()).toContain(`/order/${good!.id}`);
    const audit = await sql`select action from audit_logs where resource_id = ${good!.id} order by id`;
    expect(audit.map((r) => r.action)).toEqual(['good.archived', 'good.restored']);

    // The audit log names both changes in the page's language.
    await page.goto(`/admin/audit?resource=good`);
    const entries = page
      .getByRole('table', { name: t('adminOps.audit.table') })
      .getByRole('row')
      .filter({ hasText: good!.id });
    await expect(entries).toHaveCount(2);
    await expect(entries.first()).toContainText(t('adminOps.audit.actions.good.restored'));
    await expect(entries.last()).toContainText(t('adminOps.audit.actions.good.archived'));
  } finally {
    await customer.dispose();
    await sql.end();
  }
});

test('the catalog, orders, users, audit and analytics pages: browser’s language, no console error @locales', async ({
  page,
  t,
  locale,
}) => {
  // Nine page loads on a shared 2-core machine.
  test.setTimeout(120_000);
  const sql = postgres(databaseUrl, { max: 1 });
  try {
    const [good] = await sql<{ id: string }[]>`select id from goods where archived_at is null order by name limit 1`;
    const [automat] = await sql<
      { id: string }[]
    >`select id from parcel_automats where is_working and archived_at is null order by aruco_id limit 1`;
    const [customer] = await sql<{ id: string }[]>`select id from users where email = 'user@example.com'`;
    // An order with a timeline event, so the order page renders dates, statuses and actors.
    const [order] = await sql<
      { id: string; created_at: Date }[]
    >`insert into orders (user_id, good_id, parcel_automat_id, status)
      values (${customer!.id}, ${good!.id}, ${automat!.id}, 'pending') returning id, created_at`;
    await sql`
      insert into delivery_events (order_id, entity, event, to_status, actor_type)
      values (${order!.id}, 'order', 'created', 'pending', 'customer')`;

    const pages: { path: string; heading: string | RegExp }[] = [
      { path: '/admin/goods', heading: t('adminCatalog.title') },
      { path: `/admin/goods/${good!.id}`, heading: /\S/ },
      { path: '/admin/orders', heading: t('adminOps.orders.title') },
      { path: `/admin/orders/${order!.id}`, heading: /\S/ },
      { path: '/admin/users', heading: t('adminOps.users.title') },
      { path: `/admin/users/${customer!.id}`, heading: /\S/ },
      { path: '/admin/audit', heading: t('adminOps.audit.title') },
      { path: '/admin/analytics', heading: t('adminOps.analytics.title') },
      { path: '/admin/analytics?days=7', heading: t('adminOps.analytics.title') },
    ];
    for (const p of pages) {
      await page.goto(p.path);
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(p.heading);
      await hydrated(page);
    }

    // The order page: its status and timeline in this language, its times in the app's zone (Moscow).
    await page.goto(`/admin/orders/${order!.id}`);
    await expect(page.getByTestId('admin-order-status')).toHaveText(t('adminOps.orderStatus.pending'));
    const timeline = page.getByRole('list', { name: t('adminOps.order.timelineLabel') });
    await expect(timeline).toContainText(t('adminOps.event.created'));
    await expect(timeline).toContainText(t('adminOps.actor.customer'));
    const moscow = createFormatter({ locale, timeZone: 'Europe/Moscow', formats }).dateTime(order!.created_at, 'date');
    await expect(timeline).toContainText(moscow);
    await hydrated(page);
    await sql`delete from orders where id = ${order!.id}`;
  } finally {
    await sql.end();
  }
});
