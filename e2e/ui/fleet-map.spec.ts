import { expect, test, type Page } from '@playwright/test';
import { DEMO_BASE } from '@/db/seed';
import postgres from 'postgres';
import { databaseUrl, randomIp, uid } from '../api/helpers';
import { authFile } from '../fixtures';
import { deliverThroughDomain, reportingTestDrone } from '../support/delivery';

// The fleet, readable: drones on one spot are one badge with their count, which a click opens
// as a list of the drones by call sign, each with a link to its page; every drone has a call
// sign (lists, pages, timelines), and a drone flying home says so.

test.use({ storageState: authFile('admin') });

/** Where a point is on the map's container, from the view the map publishes (Web Mercator, 256-px tiles). */
async function pixelOf(page: Page, at: { lat: number; lon: number }) {
  const map = page.getByTestId('fleet-map');
  const { zoom, center, width, height } = await map.evaluate((el) => ({
    zoom: Number(el.getAttribute('data-zoom')),
    center: (el.getAttribute('data-center') ?? '0,0').split(',').map(Number) as [number, number],
    width: el.clientWidth,
    height: el.clientHeight,
  }));
  const project = (lat: number, lon: number) => {
    const scale = 256 * 2 ** zoom;
    const s = Math.sin((lat * Math.PI) / 180);
    return { x: ((lon + 180) / 360) * scale, y: (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * scale };
  };
  const c = project(center[0], center[1]);
  const p = project(at.lat, at.lon);
  return { x: Math.round(p.x - c.x + width / 2), y: Math.round(p.y - c.y + height / 2) };
}

test('drones on one spot are one badge: a click lists them with links, and one can be opened', async ({ page }) => {
  // Two drones of this test's own on one spot, away from everything else.
  // North of the network, clear of the map's controls, legend and notice.
  const spot = { lat: 55.7675 + Math.random() / 2000, lon: 37.5745 + Math.random() / 2000 };
  const a = await reportingTestDrone(databaseUrl, spot);
  const b = await reportingTestDrone(databaseUrl, spot);
  await page.goto('/admin');
  const map = page.getByTestId('fleet-map');
  await expect(map).toHaveAttribute('data-zoom', /\d/);
  await page.getByRole('button', { name: 'Fit to fleet' }).click();
  await page.waitForTimeout(500);
  await map.click({ position: await pixelOf(page, spot) });
  const list = page.getByRole('list', { name: 'Drones in this group' });
  await expect(list).toBeVisible();
  await expect(page.getByRole('heading', { name: '2 drones here' })).toBeVisible();
  for (const id of [a, b]) await expect(list.locator(`a[href="/admin/drones/${id}"]`)).toBeVisible();
  await expect(page.getByText('They are on the same spot: zooming in does not separate them.')).toBeVisible();
  // The first drone's button has the focus: the list is usable from the keyboard at once.
  await expect(list.getByRole('button').first()).toBeFocused();
  await list.locator(`button[data-drone="${b}"]`).click();
  await expect(list).toBeHidden();
  await expect(page.getByRole('complementary', { name: 'Selected drone' })).toContainText(b);
  const sql = postgres(databaseUrl, { max: 1 });
  try {
    const [sign] = await sql<{ call_sign: string }[]>`select call_sign from drones where id = ${b}`;
    await expect(page.getByRole('complementary', { name: 'Selected drone' }).getByRole('heading', { level: 2 })).toHaveText(sign!.call_sign);
  } finally {
    await sql.end();
  }
});

test('the demo hub is one badge, not seven arrows on top of each other', async ({ page }) => {
  await page.goto('/admin');
  const map = page.getByTestId('fleet-map');
  await expect(map).toHaveAttribute('data-zoom', /\d/);
  await page.getByRole('button', { name: 'Fit to fleet' }).click();
  await page.waitForTimeout(500);
  await map.click({ position: await pixelOf(page, DEMO_BASE) });
  const list = page.getByRole('list', { name: 'Drones in this group' });
  await expect(list).toBeVisible();
  expect(await list.getByRole('listitem').count()).toBeGreaterThanOrEqual(2);
  await expect(page.getByRole('heading', { name: /^\d+ drones here$/ })).toBeVisible();
});

test('a new drone gets the next free call sign; a taken one is refused on the field; an edit renames it everywhere', async ({ page }) => {
  const sql = postgres(databaseUrl, { max: 1 });
  const typed = `T-${uid().slice(0, 6).toUpperCase()}`;
  try {
    await page.goto('/admin/drones');
    await page.getByLabel('Model', { exact: true }).fill('Clover 4');
    await page.getByLabel('IP address', { exact: true }).fill(`10.61.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`);
    await page.getByLabel('Call sign', { exact: true }).fill('d-01');
    await page.getByRole('button', { name: 'Register drone' }).click();
    await expect(page.getByText(/Call sign D-01 is already used by another drone/).first()).toBeVisible();
    await page.getByLabel('Call sign', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Register drone' }).click();
    const registered = page.getByTestId('registered-call-sign');
    await expect(registered).toHaveText(/^D-\d{2,}$/);
    const auto = (await registered.textContent())!.trim();
    const [row] = await sql<{ id: string }[]>`select id from drones where call_sign = ${auto}`;
    expect(row).toBeDefined();

    await page.goto(`/admin/drones/${row!.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(auto);
    await page.getByLabel('Call sign', { exact: true }).fill(typed.toLowerCase());
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText('Saved.')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(typed);
    expect((await sql`select call_sign from drones where id = ${row!.id}`)[0]).toEqual({ call_sign: typed });
    await page.goto(`/admin/drones?q=${typed}`);
    await expect(page.getByRole('table', { name: 'Drones' }).getByRole('link', { name: typed })).toBeVisible();
  } finally {
    await sql.end();
  }
});

test('an order timeline names its drone by call sign, linked to the drone', async ({ page, playwright, baseURL }) => {
  const sql = postgres(databaseUrl, { max: 1 });
  const customer = await playwright.request.newContext({ baseURL });
  try {
    const email = `e2e.callsign.${uid()}@example.com`;
    await customer.post('/api/auth/register', { data: { full_name: 'Call Sign Customer', email, password: 'callsign-pass-1' }, headers: { 'x-forwarded-for': randomIp() } });
    const { csrfToken } = (await (await customer.get('/api/auth/csrf')).json()) as { csrfToken: string };
    await customer.post('/api/auth/callback/password', { form: { email, password: 'callsign-pass-1', csrfToken } });
    const [good] = await sql<{ id: string }[]>`select id from goods where name = 'Small Package'`;
    const [automat] = await sql<{ id: string }[]>`select id from parcel_automats where aruco_id = 105`;
    const created = await customer.post('/api/orders', { data: { good_id: good!.id, parcel_automat_id: automat!.id } });
    expect(created.status()).toBe(201);
    const { order } = (await created.json()) as { order: { id: string } };
    await deliverThroughDomain(databaseUrl, order.id, automat!.id);
    const [drone] = await sql<{ id: string; call_sign: string }[]>`
      select d.id, d.call_sign from deliveries del join drones d on d.id = del.drone_id where del.order_id = ${order.id}`;

    await page.goto(`/admin/orders/${order.id}`);
    const timeline = page.getByRole('list', { name: 'Order timeline' });
    const assigned = timeline.getByRole('listitem').filter({ hasText: 'Drone assigned' }).first();
    await expect(assigned.getByRole('link', { name: drone!.call_sign, exact: true })).toHaveAttribute('href', `/admin/drones/${drone!.id}`);
    await expect(timeline.getByRole('listitem').filter({ hasText: 'Dropped at the locker' }).first().getByRole('link', { name: drone!.call_sign, exact: true })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Delivery attempts' }).getByRole('link', { name: drone!.call_sign, exact: true }).first()).toBeVisible();
  } finally {
    await sql.end();
    await customer.dispose();
  }
});

test('a drone flying home after a drop shows as returning, on the map and in the lists', async ({ page }) => {
  const sql = postgres(databaseUrl, { max: 1 });
  try {
    const id = await reportingTestDrone(databaseUrl, { lat: 55.745, lon: 37.6 }, 14);
    const [{ call_sign } = { call_sign: '' }] = await sql<{ call_sign: string }[]>`select call_sign from drones where id = ${id}`;
    await page.goto('/admin');
    await expect(page.getByRole('checkbox', { name: /Returning to base \(\d+\)/ })).toBeVisible();
    await page.getByText(/Fleet as a table/).click();
    await expect(page.locator(`tr[data-drone="${id}"]`)).toContainText('Returning to base');
    await expect(page.getByRole('region', { name: 'Legend' }).first()).toContainText('Drone: returning to base');
    await page.goto(`/admin/drones?q=${call_sign}`);
    await expect(page.getByRole('table', { name: 'Drones' })).toContainText('Returning to base');
  } finally {
    await sql.end();
  }
});
