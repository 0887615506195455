import { expect, test } from '../fixtures';
import postgres from 'postgres';
import { databaseUrl, register, signInWithPassword, uid } from '../api/helpers';
import { deliverThroughDomain } from '../support/delivery';

// The in-app notification centre: what a web customer sees without watching the order page.

test('the bell shows "ready in cell N" without a reload once the parcel arrives; it links to the pickup page', async ({
  page,
}) => {
  const sql = postgres(databaseUrl, { max: 1 });
  try {
    const [automat] = await sql<
      { id: string; address: string }[]
    >`select id, address from parcel_automats where aruco_id = 104`;
    const [good] = await sql<{ id: string }[]>`select id from goods where name = 'Small Package'`;
    // The page's own request context shares its cookies: signing in here signs the page in.
    const email = `e2e.bell.${uid()}@example.com`;
    await register(page.request, { full_name: 'Bell Customer', email, password: 'bell-password-1' });
    await signInWithPassword(page.request, email, 'bell-password-1');
    const created = await page.request.post('/api/orders', {
      data: { good_id: good!.id, parcel_automat_id: automat!.id },
    });
    expect(created.status()).toBe(201);
    const { order } = (await created.json()) as { order: { id: string } };

    await page.goto('/catalog');
    const bell = page.getByTestId('notification-bell');
    await expect(bell).toHaveAccessibleName('Notifications');
    await expect(page.getByTestId('notification-unread')).toHaveCount(0);

    const cell = await deliverThroughDomain(databaseUrl, order.id, automat!.id);
    // Drone assigned + ready: two unread, picked up by the bell's polling (no reload).
    await expect(page.getByTestId('notification-unread')).toHaveText('2', { timeout: 10_000 });
    await expect(bell).toHaveAccessibleName('Notifications, 2 unread');
    await bell.click();
    const panel = page.getByRole('region', { name: 'Notifications' });
    const ready = panel.getByRole('button', { name: new RegExp(`Ready in cell ${cell}`) });
    await expect(ready).toContainText(`${automat!.address}, Moscow, cell ${cell}`);
    await expect(panel.getByRole('button', { name: /A drone took your order/ })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('bell.png') });
    await ready.click();
    await expect(page).toHaveURL(/\/pickup$/);
    await expect(page.getByTestId('notification-unread')).toHaveText('1');

    const [row] = await sql<
      { read: boolean }[]
    >`select read_at is not null as read from notifications where order_id = ${order.id} and kind = 'order_ready'`;
    expect(row?.read).toBe(true);

    await page.goto('/notifications');
    await expect(page.getByRole('list', { name: 'Your notifications' }).getByRole('listitem')).toHaveCount(2);
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await expect(page.getByText('All read')).toBeVisible();
    await expect(page.getByTestId('notification-unread')).toHaveCount(0);
  } finally {
    await sql.end();
  }
});
