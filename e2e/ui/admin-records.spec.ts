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

test('an alert is acknowledged with a note, stops counting as open, and opens again when its condition changes @locales', async ({ page }) => {
  const sql = postgres(databaseUrl, { max: 1 });
  const model = `E2E Ack ${uid()}`;
  try {
    const [drone] = await sql<{ id: string }[]>`insert into drones (model, ip_address, status, last_seen_at) values (${model}, '10.77.0.1', 'offline', now() - interval '2 minutes') returning id`;
    await page.goto('/admin/alerts');
    const open = page.getByRole('list', { name: 'Alerts' }).getByTestId('alert').filter({ hasText: model });
    await expect(open).toContainText('critical');
    await open.getByText('Acknowledge', { exact: true }).click();
    await open.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(open.getByText('Write a note: what is being done about it').last()).toBeVisible();
    await open.getByLabel('Note: what is being done about it').fill('Crew on the way to pick it up');
    await open.getByRole('button', { name: 'Acknowledge' }).click();

    const acknowledged = page.getByRole('list', { name: 'Acknowledged alerts' }).getByTestId('alert').filter({ hasText: model });
    await expect(acknowledged).toContainText('Crew on the way to pick it up');
    await expect(acknowledged).toContainText('Acknowledged by');
    await expect(page.getByRole('list', { name: 'Alerts' }).getByTestId('alert').filter({ hasText: model })).toHaveCount(0);
    const [ack] = await sql`select note, acknowledged_by is not null as by from alert_acknowledgements where object_id = ${drone!.id}`;
    expect(ack).toEqual({ note: 'Crew on the way to pick it up', by: true });
    const [audit] = await sql`select action, resource_type from audit_logs where resource_id = ${drone!.id}`;
    expect(audit).toEqual({ action: 'alert.acknowledged', resource_type: 'drone' });

    // Heard from again after the acknowledgement, and offline once more: a new, open alert.
    await sql`update drones set last_seen_at = now() + interval '1 second' where id = ${drone!.id}`;
    await expect(page.getByRole('list', { name: 'Alerts' }).getByTestId('alert').filter({ hasText: model })).toHaveCount(1, { timeout: 15_000 });
    await sql`delete from drones where id = ${drone!.id}`;
  } finally {
    await sql.end();
  }
});
