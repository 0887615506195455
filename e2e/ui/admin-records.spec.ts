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
