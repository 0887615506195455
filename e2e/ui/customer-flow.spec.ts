import { expect, test } from '../fixtures';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { createDb, createSql } from '@/db';
import { assignOrder } from '@/lib/dispatch/delivery-flow';
import { databaseUrl, randomIp, uid } from '../api/helpers';
import { deliverThroughDomain, reportingTestDrone } from '../support/delivery';

// The customer journey in Chromium: register, order on the map, see it pending, cancel a
// second order; then the delivery runs through the domain layer (as the worker, the drone
// and the locker would) and the pickup page shows a QR code that decodes to the token.

test('a new customer orders on the map, cancels a second order and gets a scannable pickup code', async ({ page }) => {
  // A whole journey (register, two orders, a delivery, the pickup page) on a shared 2-core machine.
  test.setTimeout(120_000);
  const email = `e2e.flow.${uid()}@example.com`;

  // Register.
  await page.goto('/register');
  await page.getByLabel('Full name').fill('Flow Customer');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill('flow-password-1');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/catalog$/);
  await expect(page.getByRole('link', { name: 'My orders' })).toBeVisible();

  // Order a good to an automat chosen on the map.
  await page.getByRole('link', { name: 'Order Small Package' }).click();
  await expect(page.locator('.leaflet-container')).toBeVisible();
  await expect(page.locator('path.automat-marker-unavailable')).toHaveCount(1); // the closed locker is greyed
  const marker = page.locator('path.automat-marker:not(.automat-marker-unavailable)').first();
  // A DOM click on the marker's own element goes through Leaflet's click handling without
  // depending on pixels (markers at city zoom overlap, and the map may still be fitting).
  await marker.dispatchEvent('click');
  const chosen = page.getByRole('radio', { checked: true });
  await expect(chosen).toHaveCount(1);
  const automatId = await chosen.getAttribute('value');
  const automatAddress = (
    await page.locator(`label:has(input[value="${automatId}"]) span.font-semibold`).first().textContent()
  )?.trim();
  await page.getByRole('button', { name: 'Confirm order' }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  const firstOrderId = page.url().split('/').pop()!;
  await expect(page.getByTestId('order-status')).toHaveText('Waiting for a drone');

  // It is pending in "My orders".
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My orders' }).click();
  const first = page.getByRole('list', { name: 'Orders' }).getByRole('listitem').first();
  await expect(first).toContainText('Small Package');
  await expect(first).toContainText(`to ${automatAddress}`);
  await expect(first).toContainText('Waiting for a drone');

  // A second order, cancelled.
  await page.goto('/catalog');
  await page.getByRole('link', { name: 'Order Phone Charger' }).click();
  await page.getByRole('radio', { name: /Red Square, 1/ }).check();
  await page.getByRole('button', { name: 'Confirm order' }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  await page.getByRole('button', { name: 'Cancel order' }).click();
  await page.getByRole('button', { name: 'Yes, cancel the order' }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Cancelled');
  await expect(page.getByRole('list', { name: 'Order timeline' })).toContainText('Cancelled');

  // The delivery happens through the domain layer: a drone reports in, the worker's
  // assignment step takes the order, the drone flies and drops, the locker transfers.
  const cell = await deliverThroughDomain(databaseUrl, firstOrderId, automatId!);
  await page.goto(`/orders/${firstOrderId}`);
  await expect(page.getByTestId('order-status')).toHaveText('Ready for pickup');
  await expect(page.getByText(`Your parcel is in cell ${cell}`)).toBeVisible();

  // The pickup page shows a QR code that decodes to the API's token.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pickup code' }).click();
  await expect(page.getByRole('list', { name: 'Parcels waiting' })).toContainText(`Cell ${cell}`);
  const qr = page.getByRole('img', { name: 'Your pickup QR code' });
  await expect(qr).toBeVisible();
  const png = PNG.sync.read(await qr.screenshot());
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(decoded, 'the QR code on screen decodes').not.toBeNull();
  const api = (await (await page.request.get('/api/me/pickup-code')).json()) as { token: string };
  expect(decoded!.data).toBe(api.token);

  // "New code" replaces it; the QR follows.
  await page.getByRole('button', { name: 'New code' }).click();
  await expect(page.getByText('New code ready')).toBeVisible();
  const renewed = PNG.sync.read(await qr.screenshot());
  const decoded2 = jsQR(new Uint8ClampedArray(renewed.data), renewed.width, renewed.height);
  const api2 = (await (await page.request.get('/api/me/pickup-code')).json()) as { token: string };
  expect(decoded2?.data).toBe(api2.token);
  expect(api2.token).not.toBe(api.token);
});

test('an order page updates itself while the order moves', async ({ page, request }) => {
  const email = `e2e.live.${uid()}@example.com`;
  await request.post('/api/auth/register', {
    data: { full_name: 'Live Customer', email, password: 'live-password-1' },
    headers: { 'x-forwarded-for': randomIp() },
  });
  await page.goto('/signin');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill('live-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('link', { name: 'My orders' })).toBeVisible();
  const res = await page.request.post('/api/orders', {
    data: { good_id: await goodId('Medium Box'), parcel_automat_id: await automatId(101) },
  });
  expect(res.status()).toBe(201);
  const { order } = (await res.json()) as { order: { id: string } };
  await page.goto(`/orders/${order.id}`);
  await expect(page.getByTestId('order-status')).toHaveText('Waiting for a drone');

  const sql = createSql(databaseUrl, 2);
  try {
    const db = createDb(sql);
    await reportingTestDrone(databaseUrl, { lat: 55.74, lon: 37.62 }, 15);
    const assigned = await assignOrder(db, order.id, { minBattery: 30, offlineAfterMs: 60_000 });
    expect(assigned.kind).toBe('assigned');
    // No reload: the page polls and shows the new state, the live map and an ETA.
    await expect(page.getByTestId('order-status')).toHaveText('On its way', { timeout: 5000 });
    // The drone by its call sign (D-01…, or a test drone's).
    await expect(page.getByRole('list', { name: 'Order timeline' })).toContainText(/Drone [A-Z0-9-]{2,12} on its way/);
    await expect(page.locator('.leaflet-container')).toBeVisible();
    await expect(page.getByTestId('eta')).toContainText(/about \d+ minutes?|less than a minute/);
  } finally {
    await sql.end({ timeout: 5 });
  }
});

async function goodId(name: string): Promise<string> {
  const sql = createSql(databaseUrl, 1);
  try {
    const [g] = await sql<{ id: string }[]>`select id from goods where name = ${name}`;
    return g!.id;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function automatId(aruco: number): Promise<string> {
  const sql = createSql(databaseUrl, 1);
  try {
    const [a] = await sql<{ id: string }[]>`select id from parcel_automats where aruco_id = ${aruco}`;
    return a!.id;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
