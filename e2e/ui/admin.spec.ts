import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import postgres from 'postgres';
import { databaseUrl, randomIp } from '../api/helpers';
import { authFile, expect, test } from '../fixtures';
import { walk } from '../fuzz/surface';
import { deliverThroughDomain, failThroughDomain, reportingTestDrone } from '../support/delivery';

// The operations portal: the live map shows exactly what the database holds and follows
// telemetry; admin actions are audited; and every admin page, admin API route and admin
// server action refuses customers and anonymous visitors (enumerated, not sampled).

const root = process.cwd();

const UUID = '00000000-0000-4000-8000-000000000000';
const toRoute = (file: string, base: string) =>
  `/${path
    .relative(path.join(root, base), path.dirname(file))
    .split(path.sep)
    .filter((s) => !/^\(.*\)$/.test(s))
    .join('/')}`
    .replace(/\[[^\]]+\]/g, UUID)
    .replace(/\/$/, '');

const adminPages = walk(path.join(root, 'app/admin'), 'page.tsx').map((f) =>
  `/admin${toRoute(f, 'app/admin')}`.replace(/\/$/, ''),
);
const adminApi = walk(path.join(root, 'app/api/admin'), 'route.ts').flatMap((f) => {
  const source = readFileSync(f, 'utf8');
  const methods = [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!);
  return methods.map((method) => ({ method, url: `/api/admin${toRoute(f, 'app/api/admin')}` }));
});

type ManifestEntry = { exportedName: string; filename: string; workers: Record<string, unknown> };
function adminActions() {
  const manifest = JSON.parse(readFileSync(path.join(root, '.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, ManifestEntry>;
  };
  return Object.entries(manifest.node)
    .filter(([, e]) => e.filename.startsWith('app/admin/'))
    .map(([id, e]) => ({
      id,
      name: e.exportedName,
      page: `/${Object.keys(e.workers)[0]!
        .replace(/^app\//, '')
        .replace(/\/page$/, '')}`.replace(/\[[^\]]+\]/g, UUID),
    }));
}

async function callAction(request: APIRequestContext, action: { id: string; page: string }, args: unknown[]) {
  const res = await request.post(action.page, {
    headers: { 'Next-Action': action.id, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component' },
    data: JSON.stringify(args),
    maxRedirects: 0,
  });
  return { status: res.status(), body: await res.text() };
}

test.describe('route protection', () => {
  test('the enumeration found the admin surface', () => {
    expect(adminPages).toEqual(expect.arrayContaining(['/admin', '/admin/overview', '/admin/audit']));
    expect(adminApi.length).toBeGreaterThanOrEqual(3);
    expect(adminActions().map((a) => a.name)).toEqual(
      expect.arrayContaining(['issueDroneKeyAction', 'setDroneMaintenanceAction']),
    );
  });

  test('anonymous visitors are sent to sign-in, and refused by every admin API route and action', async ({
    playwright,
    baseURL,
  }) => {
    const anon = await playwright.request.newContext({ baseURL });
    for (const page of adminPages) {
      const res = await anon.get(page, { maxRedirects: 0 });
      expect(res.status(), page).toBe(307);
      expect(res.headers().location, page).toContain(`/signin?callbackUrl=`);
    }
    for (const { method, url } of adminApi) {
      const res = await anon.fetch(url, { method, maxRedirects: 0 });
      expect(res.status(), `${method} ${url}`).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
    const sql = postgres(databaseUrl, { max: 1 });
    try {
      const [drone] = await sql<
        { id: string; api_key_hash: string; status: string }[]
      >`select id, api_key_hash, status from drones where ip_address = '192.168.1.101'`;
      for (const action of adminActions()) {
        const r = await callAction(anon, action, [{ drone_id: drone!.id, maintenance: true }]);
        expect(r.body, action.name).toContain('Sign in to continue.');
        expect(r.body, action.name).not.toMatch(/spd_[A-Za-z0-9_-]{20}/);
      }
      const [after] = await sql`select api_key_hash, status from drones where id = ${drone!.id}`;
      expect(after).toEqual({ api_key_hash: drone!.api_key_hash, status: drone!.status });
    } finally {
      await sql.end();
      await anon.dispose();
    }
  });

  test.describe('as a customer', () => {
    // Each refused admin page is a 403 document, which the browser logs as a failed load.
    test.use({ storageState: authFile('customer'), allowedConsoleErrors: [/status of 403 \(Forbidden\)/] });

    test('every admin page is 403, every admin API route and action refuses', async ({ page, request }) => {
      // 15 full page loads in the browser plus every API route and action, one after another.
      test.setTimeout(90_000);
      for (const p of adminPages) {
        const res = await page.goto(p);
        expect(res?.status(), p).toBe(403);
        await expect(page.getByRole('heading', { name: 'This area is for SkyPost operators' })).toBeVisible();
      }
      for (const { method, url } of adminApi) {
        const res = await request.fetch(url, { method });
        expect(res.status(), `${method} ${url}`).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
      }
      const sql = postgres(databaseUrl, { max: 1 });
      try {
        const [drone] = await sql<
          { id: string; api_key_hash: string; status: string }[]
        >`select id, api_key_hash, status from drones where ip_address = '192.168.1.101'`;
        for (const action of adminActions()) {
          const r = await callAction(request, action, [{ drone_id: drone!.id, maintenance: true }]);
          expect(r.body, action.name).toContain('This needs an administrator account.');
        }
        const [after] = await sql`select api_key_hash, status from drones where id = ${drone!.id}`;
        expect(after).toEqual({ api_key_hash: drone!.api_key_hash, status: drone!.status });
      } finally {
        await sql.end();
      }
    });
  });
});

test.describe('as an admin', () => {
  test.use({ storageState: authFile('admin') });

  test('the live map shows exactly the drones and lockers in the database', async ({ page }) => {
    const sql = postgres(databaseUrl, { max: 1 });
    try {
      await page.goto('/admin');
      await expect(page.getByTestId('fleet-map')).toBeVisible();
      await page.getByText(/Fleet as a table/).click();
      // Other tests add their own drones in parallel: the map (refreshed every second) must
      // converge on exactly what the database holds.
      const compare = async () => {
        const dbDrones = (await sql<{ id: string }[]>`select id from drones`).map((d) => d.id).sort();
        const dbAutomats = (await sql<{ id: string }[]>`select id from parcel_automats where archived_at is null`)
          .map((a) => a.id)
          .sort();
        const tableDrones = (
          await page.locator('tr[data-drone]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-drone')))
        ).sort();
        const tableAutomats = (
          await page.locator('tr[data-automat]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-automat')))
        ).sort();
        return JSON.stringify({ drones: tableDrones, automats: tableAutomats }) ===
          JSON.stringify({ drones: dbDrones, automats: dbAutomats })
          ? 'equal'
          : `map ${tableDrones.length}/${tableAutomats.length}, database ${dbDrones.length}/${dbAutomats.length}`;
      };
      await expect.poll(compare, { timeout: 10_000, intervals: [500] }).toBe('equal');
      const dbAutomats = (await sql<{ id: string }[]>`select id from parcel_automats where archived_at is null`)
        .map((a) => a.id)
        .sort();
      // Every locker is a marker on the map itself (drones are drawn on the canvas).
      const markers = (
        await page
          .locator('.leaflet-marker-pane [data-automat]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-automat')))
      ).sort();
      expect(markers).toEqual(dbAutomats);
      await expect(page.locator('.leaflet-overlay-pane canvas')).toHaveCount(1);
    } finally {
      await sql.end();
    }
  });

  test('a new drone key moves the drone by telemetry within 3 s; the audit log shows the issue, not the key', async ({
    page,
    playwright,
    baseURL,
  }) => {
    const sql = postgres(databaseUrl, { max: 1 });
    const device = await playwright.request.newContext({ baseURL });
    try {
      const [drone] = await sql<{ id: string }[]>`select id from drones where ip_address = '192.168.1.106'`;
      await page.goto('/admin');
      await page.getByText(/Fleet as a table/).click();
      await page.locator(`tr[data-drone="${drone!.id}"] button`).click();
      const panel = page.getByRole('complementary', { name: 'Selected drone' });
      await panel.getByRole('button', { name: 'Issue device key' }).click();
      const key = (await panel.getByTestId('issued-key').textContent())?.trim() ?? '';
      expect(key).toMatch(/^spd_[A-Za-z0-9_-]{43}$/);

      const target = { lat: 55.7601 + Math.random() / 100, lon: 37.6186 + Math.random() / 100 };
      const sent = Date.now();
      const res = await device.post(`/api/drones/${drone!.id}/telemetry`, {
        headers: { authorization: `Bearer ${key}` },
        data: { ...target, battery_level: 77, heading_deg: 45, speed_mps: 12 },
      });
      expect(res.status()).toBe(202);
      await expect(page.getByTestId(`position-${drone!.id}`)).toHaveText(
        `${target.lat.toFixed(5)}, ${target.lon.toFixed(5)}`,
        { timeout: 3000 },
      );
      expect(Date.now() - sent).toBeLessThan(3000);
      await expect(panel.getByTestId('panel-position')).toHaveText(
        `${target.lat.toFixed(5)}, ${target.lon.toFixed(5)}`,
      );

      await page.goto(`/admin/audit?resource=drone`);
      const entry = page
        .getByRole('table', { name: 'Audit entries' })
        .getByRole('row')
        .filter({ hasText: drone!.id })
        .first();
      await expect(entry.locator('[data-action]')).toHaveAttribute('data-action', /^drone\.key_(issued|rotated)$/);
      await expect(entry).toContainText('admin@skypost.com');
      await expect(page.locator('body')).not.toContainText(key);
    } finally {
      await sql.end();
      await device.dispose();
    }
  });

  test('an order is cancelled from the console: the timeline and the audit log show it', async ({
    page,
    playwright,
    baseURL,
  }) => {
    const sql = postgres(databaseUrl, { max: 1 });
    const customer = await playwright.request.newContext({ baseURL });
    try {
      const email = `e2e.console.${Date.now()}@example.com`;
      await customer.post('/api/auth/register', {
        data: { full_name: 'Console Customer', email, password: 'console-pass-1' },
        headers: { 'x-forwarded-for': randomIp() },
      });
      const { csrfToken } = (await (await customer.get('/api/auth/csrf')).json()) as { csrfToken: string };
      await customer.post('/api/auth/callback/password', { form: { email, password: 'console-pass-1', csrfToken } });
      const [good] = await sql<{ id: string }[]>`select id from goods where name = 'First Aid Kit'`;
      const [automat] = await sql<{ id: string }[]>`select id from parcel_automats where aruco_id = 104`;
      const created = await customer.post('/api/orders', {
        data: { good_id: good!.id, parcel_automat_id: automat!.id },
      });
      expect(created.status()).toBe(201);
      const { order } = (await created.json()) as { order: { id: string } };

      await page.goto(`/admin/orders?q=${encodeURIComponent(email)}`);
      const row = page.getByRole('table', { name: 'Orders' }).getByRole('row').filter({ hasText: email });
      await expect(row).toHaveCount(1);
      await row.getByRole('link').click();
      await expect(page.getByTestId('admin-order-status')).toHaveText('Waiting for a drone');
      await page.getByRole('button', { name: 'Cancel order' }).click();
      await expect(page.getByText('Give a reason')).toBeVisible(); // the reason is required
      await page.getByLabel('Reason').fill('duplicate order, customer asked');
      await page.getByRole('button', { name: 'Cancel order' }).click();
      // The page re-renders from the server: the status and the timeline show it, no reload.
      await expect(page.getByTestId('admin-order-status')).toHaveText('Cancelled');
      await expect(page.getByText('The order is cancelled: nothing is left to do.')).toBeVisible();
      await expect(page.getByRole('list', { name: 'Order timeline' })).toContainText(
        'Cancelled by an operator: duplicate order, customer asked',
      );

      await page.goto('/admin/audit?action=order.cancelled');
      const entry = page.getByRole('table', { name: 'Audit entries' }).getByRole('row').filter({ hasText: order.id });
      await expect(entry).toContainText('admin@skypost.com');
      await expect(entry).toContainText('Status: Waiting for a drone → Cancelled');
      const mine = (await (await customer.get(`/api/me/orders/${order.id}`)).json()) as { order: { status: string } };
      expect(mine.order.status).toBe('cancelled');
    } finally {
      await sql.end();
      await customer.dispose();
    }
  });

  test('operator handover at a broken kiosk: the order completes, the cell frees, timeline and audit say why', async ({
    page,
    playwright,
    baseURL,
  }) => {
    const sql = postgres(databaseUrl, { max: 1 });
    const customer = await playwright.request.newContext({ baseURL });
    try {
      const email = `e2e.handover.${Date.now()}@example.com`;
      await customer.post('/api/auth/register', {
        data: { full_name: 'Handover Customer', email, password: 'handover-pass-1' },
        headers: { 'x-forwarded-for': randomIp() },
      });
      const { csrfToken } = (await (await customer.get('/api/auth/csrf')).json()) as { csrfToken: string };
      await customer.post('/api/auth/callback/password', { form: { email, password: 'handover-pass-1', csrfToken } });
      const [good] = await sql<{ id: string }[]>`select id from goods where name = 'First Aid Kit'`;
      const [automat] = await sql<{ id: string }[]>`select id from parcel_automats where aruco_id = 103`;
      const created = await customer.post('/api/orders', {
        data: { good_id: good!.id, parcel_automat_id: automat!.id },
      });
      expect(created.status()).toBe(201);
      const { order } = (await created.json()) as { order: { id: string } };
      const cell = await deliverThroughDomain(databaseUrl, order.id, automat!.id);

      await page.goto(`/admin/orders/${order.id}`);
      await expect(page.getByTestId('admin-order-status')).toHaveText('Ready for pickup');
      await page.getByRole('button', { name: 'Hand over and complete pickup' }).click();
      await expect(page.getByText('Give a reason').first()).toBeVisible();
      await page.getByLabel('Why hand it over?').fill('kiosk screen broken, ID checked at the desk');
      await page.getByRole('button', { name: 'Hand over and complete pickup' }).click();
      await expect(page.getByTestId('admin-order-status')).toHaveText('Collected');
      const timeline = page.getByRole('list', { name: 'Order timeline' });
      await expect(timeline).toContainText('Handed over by staff');
      await expect(timeline).toContainText('kiosk screen broken, ID checked at the desk');
      await page.screenshot({ path: test.info().outputPath('handover.png'), fullPage: true });

      const [row] = await sql<{ status: string; cell_status: string }[]>`
        select o.status, c.status as cell_status from orders o join locker_cells_out c on c.id = o.locker_cell_id
        where o.id = ${order.id}`;
      expect(row).toEqual({ status: 'completed', cell_status: 'available' });
      expect(cell).not.toBeNull();
      await page.goto('/admin/audit?action=order.pickup_forced');
      const entry = page.getByRole('table', { name: 'Audit entries' }).getByRole('row').filter({ hasText: order.id });
      await expect(entry).toContainText('admin@skypost.com');
      await expect(entry).toContainText('kiosk screen broken');
    } finally {
      await sql.end();
      await customer.dispose();
    }
  });

  test('an operator reopens an order auto-cancelled after three failed deliveries, then dispatches it now', async ({
    page,
    playwright,
    baseURL,
  }) => {
    const sql = postgres(databaseUrl, { max: 1 });
    const customer = await playwright.request.newContext({ baseURL });
    try {
      const email = `e2e.retry.${Date.now()}@example.com`;
      await customer.post('/api/auth/register', {
        data: { full_name: 'Retry Customer', email, password: 'retry-pass-1' },
        headers: { 'x-forwarded-for': randomIp() },
      });
      const { csrfToken } = (await (await customer.get('/api/auth/csrf')).json()) as { csrfToken: string };
      await customer.post('/api/auth/callback/password', { form: { email, password: 'retry-pass-1', csrfToken } });
      const [good] = await sql<
        { id: string; q: number }[]
      >`select id, quantity_available as q from goods where name = 'Phone Charger'`;
      const [automat] = await sql<{ id: string; lat: number; lon: number }[]>`
        select id, split_part(coordinates, ',', 1)::float8 as lat, split_part(coordinates, ',', 2)::float8 as lon
        from parcel_automats where aruco_id = 105`;
      const created = await customer.post('/api/orders', {
        data: { good_id: good!.id, parcel_automat_id: automat!.id },
      });
      expect(created.status()).toBe(201);
      const { order } = (await created.json()) as { order: { id: string } };
      await failThroughDomain(databaseUrl, { orderId: order.id, times: 3 });

      await page.goto(`/admin/orders/${order.id}`);
      await expect(page.getByTestId('admin-order-status')).toHaveText('Cancelled');
      const stockBefore = (
        await sql<{ q: number }[]>`select quantity_available as q from goods where id = ${good!.id}`
      )[0]!.q;
      await page.getByLabel('Why retry?').fill('wind has dropped, try again');
      await page.getByRole('button', { name: 'Reopen and retry delivery' }).click();
      await expect(page.getByTestId('admin-order-status')).toHaveText('Waiting for a drone');
      await expect(page.getByRole('list', { name: 'Order timeline' })).toContainText(
        'Reopened for another delivery attempt',
      );
      expect((await sql<{ q: number }[]>`select quantity_available as q from goods where id = ${good!.id}`)[0]!.q).toBe(
        stockBefore - 1,
      );

      // A drone of the test's own, right at the locker, is the nearest: "dispatch now" takes it.
      const drone = await reportingTestDrone(databaseUrl, { lat: automat!.lat, lon: automat!.lon });
      await page.getByLabel('Why retry?').fill('customer is waiting, dispatch now');
      await page.getByRole('button', { name: 'Retry delivery now' }).click();
      await expect(page.getByText('Drone assigned', { exact: true })).toBeVisible();
      await expect(page.getByTestId('admin-order-status')).toHaveText('On its way');
      await page.screenshot({ path: test.info().outputPath('retry.png'), fullPage: true });
      const [delivery] =
        await sql`select drone_id from deliveries where order_id = ${order.id} and status = 'assigned'`;
      expect(delivery?.drone_id).toBe(drone);

      await page.goto('/admin/audit?action=order.delivery_retried');
      const rows = page.getByRole('table', { name: 'Audit entries' }).getByRole('row').filter({ hasText: order.id });
      await expect(rows).toHaveCount(2);
      await expect(rows.first()).toContainText('customer is waiting, dispatch now');
    } finally {
      await sql.end();
      await customer.dispose();
    }
  });

  test('alerts are listed live with a badge on the map; a closed locker is listed as closed, not as an alert', async ({
    page,
  }) => {
    await page.goto('/admin');
    await expect(page.getByTestId('alerts-badge')).toContainText(/Alerts \d+/);
    await page.getByTestId('alerts-badge').click();
    await expect(page).toHaveURL(/\/admin\/alerts$/);
    await expect(page.getByRole('heading', { name: /^Open/ })).toBeVisible();
    await expect(page.getByText(/Paveletskaya/).and(page.getByRole('link'))).toHaveCount(1);
    const closed = page
      .getByRole('list', { name: 'Closed lockers' })
      .getByRole('link', { name: 'Paveletskaya Sq., 1, Moscow' });
    await expect(closed).toBeVisible();
    await closed.click();
    await expect(page).toHaveURL(/\/admin\/automats\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { name: 'Paveletskaya Sq., 1', level: 1 })).toBeVisible();
  });

  test('an admin creates a good; customers see it; stock never goes below zero; deletion needs confirmation', async ({
    page,
    playwright,
    baseURL,
  }) => {
    const name = `E2E Lantern ${Date.now()}`;
    await page.goto('/admin/goods');
    await page.getByRole('button', { name: 'Create good' }).click();
    // inline, from the server's zod validation
    await expect(page.getByText('Enter a name of 2 to 255 characters.')).toBeVisible();
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Weight (kg)').fill('0.9');
    await page.getByLabel('Length (cm)').fill('20');
    await page.getByLabel('Width (cm)').fill('15');
    await page.getByLabel('Height (cm)').fill('-1');
    await page.getByLabel('Stock').fill('2');
    await page.getByRole('button', { name: 'Create good' }).click();
    await expect(page.getByText('Enter the height in centimetres: a number of at least 0.01.')).toBeVisible();
    await page.getByLabel('Height (cm)').fill('25');
    await page.getByRole('button', { name: 'Create good' }).click();
    await expect(page.getByText(`“${name}” is in the catalog.`)).toBeVisible();

    const visitor = await playwright.request.newContext({ baseURL });
    expect(await (await visitor.get(`/catalog?q=${encodeURIComponent(name)}`)).text()).toContain(name);
    await visitor.dispose();

    await page.getByRole('table', { name: 'Goods' }).getByRole('link', { name }).click();
    await page.getByLabel('Change (e.g. 10 or -3)').fill('-3');
    await page.getByRole('button', { name: 'Update stock' }).click();
    await expect(page.getByText('At most 2 can be removed')).toBeVisible();
    await page.getByLabel('Change (e.g. 10 or -3)').fill('5');
    await page.getByRole('button', { name: 'Update stock' }).click();
    await expect(page.getByTestId('stock')).toHaveText('7');

    await page.getByRole('button', { name: 'Delete good' }).click();
    await expect(page.getByText('Tick the box to confirm what will be deleted')).toBeVisible();
    await page.getByLabel('I understand what will be deleted').check();
    await page.getByRole('button', { name: 'Delete good' }).click();
    await expect(page).toHaveURL(/\/admin\/goods$/);
    await expect(page.getByRole('table', { name: 'Goods' })).not.toContainText(name);
    await page.goto('/admin/audit?resource=good');
    await expect(
      page.getByRole('table', { name: 'Audit entries' }).locator('[data-action="good.deleted"]').first(),
    ).toBeVisible();
  });

  test('an admin creates a locker with pickup and drop cells on the map, disables a cell, and issues its key', async ({
    page,
    playwright,
    baseURL,
  }) => {
    const sql = postgres(databaseUrl, { max: 1 });
    const aruco = 700_000 + Math.floor(Math.random() * 200_000);
    const address = `E2E Lane ${aruco}`;
    try {
      await page.goto('/admin/automats');
      await page.getByLabel('City', { exact: true }).fill('Moscow');
      await page.getByLabel('Address', { exact: true }).fill(address);
      await page.getByLabel('ArUco marker id').fill('101'); // the seeded Red Square locker's marker
      await page.getByLabel('IP address', { exact: true }).fill('10.44.0.9');
      await page.getByRole('button', { name: 'Create locker' }).click();
      await expect(page.getByText('Latitude is required: a number from -90 to 90')).toBeVisible();
      // Coordinates picked on the map fill both fields.
      await page
        .getByRole('group', { name: 'Map: click to place the locker' })
        .locator('.leaflet-container')
        .click({ position: { x: 120, y: 90 } });
      await expect(page.getByLabel('Latitude', { exact: true })).toHaveValue(/^5\d\.\d{6}$/);
      await expect(page.getByLabel('Longitude', { exact: true })).toHaveValue(/^3\d\.\d{6}$/);
      await page.getByRole('button', { name: 'Create locker' }).click();
      await expect(page.getByText('ArUco id 101 is already used by Red Square, 1, Moscow.').first()).toBeVisible();
      await page.getByLabel('ArUco marker id').fill(String(aruco));
      await page.getByRole('button', { name: 'Create locker' }).click();
      await expect(page.getByRole('heading', { name: address, level: 1 })).toBeVisible();
      await expect(page.getByText('Locker created')).toBeVisible();

      await page.getByLabel('How many', { exact: true }).fill('4');
      await page.getByLabel('Length (cm)', { exact: true }).fill('40');
      await page.getByLabel('Width (cm)', { exact: true }).fill('35');
      await page.getByLabel('Height (cm)', { exact: true }).fill('30');
      await page.getByRole('button', { name: 'Add cells' }).click();
      await expect(page.getByText('Added 4 cells: number 1 to 4.')).toBeVisible();
      await page.getByLabel('Drop (inside, drones load it)').check();
      await page.getByLabel('How many', { exact: true }).fill('2');
      await page.getByRole('button', { name: 'Add cells' }).click();
      await expect(page.getByText('Added 2 cells: number 1 to 2.')).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Pickup cells (outside): 4 free of 4' })).toBeVisible();

      await page.getByRole('button', { name: 'Start maintenance of cell 3' }).click();
      await expect(page.getByTestId('external-cell-3')).toContainText('Maintenance');
      await expect(
        page.getByRole('heading', { name: 'Pickup cells (outside): 3 free of 3, 1 under maintenance' }),
      ).toBeVisible();

      const [row] = await sql<
        { id: string; number_of_cells: number; coordinates: string }[]
      >`select id, number_of_cells, coordinates from parcel_automats where aruco_id = ${aruco}`;
      expect(row?.number_of_cells).toBe(6);
      expect(row?.coordinates).toMatch(/^5\d\.\d+,3\d\.\d+$/);
      const cells = await sql`select 'out' as kind, cell_number, status, length::float8 as l from locker_cells_out
        where post_id = ${row!.id}
        union all select 'in', cell_number, status, length::float8 from locker_cells_internal where post_id = ${row!.id}
        order by 1 desc, 2`;
      expect(cells.map((c) => `${c.kind}${c.cell_number}:${c.status}:${c.l}`)).toEqual([
        'out1:available:40',
        'out2:available:40',
        'out3:maintenance:40',
        'out4:available:40',
        'in1:available:40',
        'in2:available:40',
      ]);

      await page.getByRole('button', { name: 'Issue device key' }).click();
      const key = (await page.getByTestId('issued-key').textContent())?.trim() ?? '';
      expect(key).toMatch(/^spa_[A-Za-z0-9_-]{43}$/);
      const kiosk = await playwright.request.newContext({ baseURL });
      const res = await kiosk.get(`/api/automats/${row!.id}/expected`, { headers: { authorization: `Bearer ${key}` } });
      await kiosk.dispose();
      expect(res.status()).toBe(200);

      await page.goto('/admin/audit?resource=automat');
      const audit = page.getByRole('table', { name: 'Audit entries' });
      for (const action of ['automat.created', 'automat.cells_created', 'automat.key_issued'])
        await expect(audit.locator(`[data-action="${action}"]`).first()).toBeVisible();
      await expect(page.locator('body')).not.toContainText(key);

      // No orders: deleting it takes its 6 cells, after a confirmation that says so.
      await page.goto(`/admin/automats/${row!.id}`);
      await expect(page.getByText('with its 4 pickup cells and 2 drop cells')).toBeVisible();
      await page.getByLabel('I understand what will be deleted').check();
      await page.getByRole('button', { name: 'Delete locker' }).click();
      await expect(page).toHaveURL(/\/admin\/automats$/);
      expect(await sql`select 1 from parcel_automats where id = ${row!.id}`).toHaveLength(0);
      expect(await sql`select 1 from locker_cells_out where post_id = ${row!.id}`).toHaveLength(0);
    } finally {
      await sql.end();
    }
  });

  test('an admin registers a drone, edits it, and deletes it after confirming', async ({ page }) => {
    const model = `E2E Hornet ${Date.now()}`;
    await page.goto('/admin/drones');
    await page.getByLabel('Model', { exact: true }).fill(model);
    await page.getByLabel('IP address', { exact: true }).fill('999.1.1.1');
    await page.getByRole('button', { name: 'Register drone' }).click();
    await expect(page.getByText('Enter an IPv4 (e.g. 10.0.0.12) or IPv6 address')).toBeVisible();
    await page.getByLabel('IP address', { exact: true }).fill('10.55.0.1');
    await page.getByRole('button', { name: 'Register drone' }).click();
    await expect(page.getByText(`(${model}) is registered.`)).toBeVisible();
    await page.goto(`/admin/drones?q=${encodeURIComponent(model)}`);
    // Listed by its call sign, with the model under it.
    await page
      .getByRole('table', { name: 'Drones' })
      .getByRole('row')
      .filter({ hasText: model })
      .getByRole('link')
      .click();
    await expect(page.getByTestId('drone-status')).toHaveText('Offline');
    await page.getByLabel('IP address', { exact: true }).fill('10.55.0.2');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText('Saved.')).toBeVisible();
    await page.getByLabel('I understand what will be deleted').check();
    await page.getByRole('button', { name: 'Delete drone' }).click();
    await expect(page).toHaveURL(/\/admin\/drones$/);
    await page.goto('/admin/audit?resource=drone');
    await expect(
      page.getByRole('table', { name: 'Audit entries' }).locator('[data-action="drone.deleted"]').first(),
    ).toBeVisible();
  });
});
