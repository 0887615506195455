import type { Page } from '@playwright/test';
import { DEMO_BASE } from '@/scripts/lib/seed';
import postgres from 'postgres';
import { databaseUrl, randomIp, uid } from '../api/helpers';
import { authFile, expect, hydrated, test } from '../fixtures';
import { deliverThroughDomain, reportingTestDrone } from '../support/delivery';

// The fleet, readable: drones on one spot are one badge with their count, which a click opens
// as a list of the drones by call sign, each with a link to its page; every drone has a call
// sign (lists, pages, timelines), and a drone flying home says so. Tests tagged @locales run in
// both locale projects and find what they check through the site's own messages (`t`).

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

test('drones on one spot are one badge: a click lists them with links, and one can be opened @locales', async ({
  page,
  t,
  locale,
}) => {
  // Two drones of this test's own on one spot, away from everything else.
  // North of the network, clear of the map's controls, legend and notice; each locale project
  // (both run at once on one database) a kilometre from the other, so their pairs never merge.
  const spot = {
    lat: 55.7675 + Math.random() / 2000,
    lon: (locale === 'ru' ? 37.5605 : 37.5745) + Math.random() / 2000,
  };
  const a = await reportingTestDrone(databaseUrl, spot);
  const b = await reportingTestDrone(databaseUrl, spot);
  await page.goto('/admin');
  await hydrated(page);
  const map = page.getByTestId('fleet-map');
  await expect(map).toHaveAttribute('data-zoom', /\d/);
  await page.getByRole('button', { name: t('adminFleet.console.fit') }).click();
  await page.waitForTimeout(500);
  await map.click({ position: await pixelOf(page, spot) });
  const list = page.getByRole('list', { name: t('adminFleet.cluster.list') });
  await expect(list).toBeVisible();
  for (const id of [a, b]) await expect(list.locator(`a[href="/admin/drones/${id}"]`)).toBeVisible();
  // Both locale projects run this at once on one database, each with two drones near one spot:
  // the heading counts what the list holds.
  const n = await list.getByRole('listitem').count();
  expect(n).toBeGreaterThanOrEqual(2);
  await expect(page.getByRole('heading', { name: t('adminFleet.cluster.heading', { count: n }) })).toBeVisible();
  await expect(page.getByText(t('adminFleet.cluster.sameSpot'))).toBeVisible();
  // The first drone's button has the focus: the list is usable from the keyboard at once.
  await expect(list.getByRole('button').first()).toBeFocused();
  await list.locator(`button[data-drone="${b}"]`).click();
  await expect(list).toBeHidden();
  const panel = page.getByRole('complementary', { name: t('adminFleet.panel.drone') });
  await expect(panel).toContainText(b);
  const sql = postgres(databaseUrl, { max: 1 });
  try {
    const [sign] = await sql<{ call_sign: string }[]>`select call_sign from drones where id = ${b}`;
    await expect(panel.getByRole('heading', { level: 2 })).toHaveText(sign!.call_sign);
  } finally {
    await sql.end();
  }
});

test('the demo hub is one badge, not seven arrows on top of each other @locales', async ({ page, t }) => {
  await page.goto('/admin');
  await hydrated(page);
  const map = page.getByTestId('fleet-map');
  await expect(map).toHaveAttribute('data-zoom', /\d/);
  await page.getByRole('button', { name: t('adminFleet.console.fit') }).click();
  await page.waitForTimeout(500);
  await map.click({ position: await pixelOf(page, DEMO_BASE) });
  const list = page.getByRole('list', { name: t('adminFleet.cluster.list') });
  await expect(list).toBeVisible();
  const n = await list.getByRole('listitem').count();
  expect(n).toBeGreaterThanOrEqual(2);
  await expect(page.getByRole('heading', { name: t('adminFleet.cluster.heading', { count: n }) })).toBeVisible();
});

test('a new drone gets the next free call sign; a taken one is refused on the field; renames apply everywhere', async ({
  page,
}) => {
  const sql = postgres(databaseUrl, { max: 1 });
  const typed = `T-${uid().slice(0, 6).toUpperCase()}`;
  try {
    await page.goto('/admin/drones');
    await page.getByLabel('Model', { exact: true }).fill('Clover 4');
    await page
      .getByLabel('IP address', { exact: true })
      .fill(`10.61.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`);
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

test('an order timeline names its drone by call sign, linked to the drone @locales', async ({
  page,
  playwright,
  baseURL,
}) => {
  const sql = postgres(databaseUrl, { max: 1 });
  const customer = await playwright.request.newContext({ baseURL });
  try {
    const email = `e2e.callsign.${uid()}@example.com`;
    await customer.post('/api/auth/register', {
      data: { full_name: 'Call Sign Customer', email, password: 'callsign-pass-1' },
      headers: { 'x-forwarded-for': randomIp() },
    });
    const { csrfToken } = (await (await customer.get('/api/auth/csrf')).json()) as { csrfToken: string };
    await customer.post('/api/auth/callback/password', { form: { email, password: 'callsign-pass-1', csrfToken } });
    const [good] = await sql<{ id: string }[]>`select id from goods where name = 'Small Package'`;
    const [automat] = await sql<{ id: string }[]>`select id from parcel_automats where aruco_id = 105`;
    const created = await customer.post('/api/orders', { data: { good_id: good!.id, parcel_automat_id: automat!.id } });
    expect(created.status()).toBe(201);
    const { order } = (await created.json()) as { order: { id: string } };
    await deliverThroughDomain(databaseUrl, order.id, automat!.id);
    const [drone] = await sql<{ id: string; call_sign: string }[]>`
      select d.id, d.call_sign from deliveries del join drones d on d.id = del.drone_id
      where del.order_id = ${order.id}`;

    await page.goto(`/admin/orders/${order.id}`);
    await hydrated(page);
    // Language-independent: the events that name the drone (assigned, dropped) and the delivery
    // attempt each link its call sign to the drone's page.
    const links = page.locator('main').getByRole('link', { name: drone!.call_sign, exact: true });
    await expect.poll(() => links.count()).toBeGreaterThanOrEqual(3);
    for (const href of await links.evaluateAll((els) => els.map((e) => e.getAttribute('href'))))
      expect(href).toBe(`/admin/drones/${drone!.id}`);
    const inLists = page.locator('main ol, main ul').getByRole('link', { name: drone!.call_sign, exact: true });
    await expect.poll(() => inLists.count()).toBeGreaterThanOrEqual(2);
  } finally {
    await sql.end();
    await customer.dispose();
  }
});

test('a drone flying home after a drop shows as returning on the map and lists, which filter by it @locales', async ({
  page,
  t,
}) => {
  const sql = postgres(databaseUrl, { max: 1 });
  try {
    const id = await reportingTestDrone(databaseUrl, { lat: 55.745, lon: 37.6 }, 14);
    const [{ call_sign } = { call_sign: '' }] = await sql<
      { call_sign: string }[]
    >`select call_sign from drones where id = ${id}`;
    const returning = t('adminFleet.droneStates.returning');
    // "Returning" needs a reading at most 30 s old: refreshed before each page, so a slow run
    // does not see the drone land.
    const fresh = () => sql`update drones set last_seen_at = now() where id = ${id}`;
    await fresh();
    await page.goto('/admin');
    await hydrated(page);
    await expect(page.getByRole('checkbox', { name: new RegExp(`^${returning} \\(\\d+\\)$`) })).toBeVisible();
    await page.getByTestId('fleet-table-toggle').click();
    await expect(page.locator(`tr[data-drone="${id}"]`)).toContainText(returning);
    await expect(page.getByRole('region', { name: t('adminFleet.legend.title') }).first()).toContainText(returning);
    await fresh();
    await page.goto(`/admin/drones?q=${call_sign}`);
    await expect(page.getByRole('table', { name: t('adminFleet.drones.table') })).toContainText(returning);
    // The list's status filter knows the state: returning finds it, idle does not.
    await fresh();
    await page.goto(`/admin/drones?q=${call_sign}&status=returning`);
    await expect(
      page
        .getByRole('table', { name: t('adminFleet.drones.table') })
        .getByRole('link', { name: call_sign, exact: true }),
    ).toBeVisible();
    await fresh();
    await page.goto(`/admin/drones?q=${call_sign}&status=idle`);
    await expect(
      page
        .getByRole('table', { name: t('adminFleet.drones.table') })
        .getByRole('link', { name: call_sign, exact: true }),
    ).toHaveCount(0);
    await expect(
      page.getByRole('combobox', { name: t('adminFleet.drones.status') }).getByRole('option', { name: returning }),
    ).toHaveCount(1);
  } finally {
    await sql.end();
  }
});

test('fleet pages: no console error (no hydration mismatch) in this project’s locale and time zone @locales', async ({
  page,
  t,
  locale,
}) => {
  // Seven full page loads, one after another.
  test.setTimeout(150_000);
  const sql = postgres(databaseUrl, { max: 1 });
  try {
    // A drone with history (a delivery) and a locker with cells: dates, ages and figures on every page.
    const [drone] = await sql<
      { id: string }[]
    >`select drone_id as id from deliveries where drone_id is not null order by created_at desc limit 1`;
    const [locker] = await sql<{ id: string }[]>`select id from parcel_automats where aruco_id = 101`;
    const anyDrone = drone ?? (await sql<{ id: string }[]>`select id from drones order by call_sign limit 1`)[0];
    const pages = [
      { url: '/admin', heading: t('adminFleet.console.title') },
      { url: '/admin/overview', heading: t('adminFleet.overview.title') },
      { url: '/admin/alerts', heading: t('adminFleet.alerts.badge') },
      { url: '/admin/drones', heading: t('adminFleet.drones.title') },
      { url: `/admin/drones/${anyDrone!.id}`, heading: null },
      { url: '/admin/automats', heading: t('adminFleet.automats.title') },
      { url: `/admin/automats/${locker!.id}`, heading: null },
    ];
    for (const p of pages) {
      await page.goto(p.url);
      await hydrated(page);
      // The browser-error guard of the fixture fails the test on any console error (React #418 included).
      if (p.heading) await expect(page.getByRole('heading', { level: 1, name: p.heading })).toBeVisible();
      else await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
    }
  } finally {
    await sql.end();
  }
});

test('the portal header is one line on a phone, with a menu that holds the sections @locales', async ({ page, t }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/admin/overview');
  await hydrated(page);
  const header = page.getByTestId('admin-header');
  const height = await header.evaluate((el) => el.getBoundingClientRect().height);
  expect(height).toBeLessThanOrEqual(64);
  const nav = page.getByRole('navigation', { name: t('adminShell.nav.label') });
  await expect(nav).toBeHidden();
  const menu = page.getByRole('button', { name: t('adminShell.menu') });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await menu.click();
  await expect(nav).toBeVisible();
  await expect(nav.getByRole('link', { name: t('adminShell.nav.overview') })).toHaveAttribute('aria-current', 'page');
  // Focus moves into the panel, to its first section.
  await expect(nav.getByRole('link', { name: t('adminShell.nav.map') })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();
  await menu.click();
  await nav.getByRole('link', { name: t('adminShell.nav.drones') }).click();
  await expect(page).toHaveURL(/\/admin\/drones$/);
  await expect(nav).toBeHidden();
  // On a wide screen the sections are a row, and there is no menu button.
  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(nav).toBeVisible();
  await expect(page.getByRole('button', { name: t('adminShell.menu') })).toBeHidden();
});

test('an acknowledged alert (with a note) stops counting as open, reopens when its condition changes @locales', async ({
  page,
  t,
}) => {
  const sql = postgres(databaseUrl, { max: 1 });
  const model = `E2E Ack ${uid()}`;
  try {
    const [drone] = await sql<{ id: string }[]>`
      insert into drones (model, ip_address, status, last_seen_at)
      values (${model}, '10.77.0.1', 'offline', now() - interval '2 minutes') returning id`;
    await page.goto('/admin/alerts');
    await hydrated(page);
    const openList = page.getByRole('list', { name: t('adminFleet.alerts.openList'), exact: true });
    const open = openList.getByTestId('alert').filter({ hasText: model });
    await expect(open).toContainText(t('adminFleet.alerts.severity.critical'));
    await open.locator('summary').click();
    const acknowledge = open.getByRole('button', { name: t('adminFleet.alerts.acknowledge'), exact: true });
    await acknowledge.click();
    await expect(open.getByText(t('adminFleet.actionErrors.fields.note')).last()).toBeVisible();
    await open.getByLabel(t('adminFleet.alerts.note')).fill('Crew on the way to pick it up');
    await acknowledge.click();

    const acknowledged = page
      .getByRole('list', { name: t('adminFleet.alerts.acknowledgedList') })
      .getByTestId('alert')
      .filter({ hasText: model });
    await expect(acknowledged).toContainText('Crew on the way to pick it up');
    await expect(acknowledged).toContainText('admin@skypost.com');
    await expect(openList.getByTestId('alert').filter({ hasText: model })).toHaveCount(0);
    const [ack] = await sql`
        select note, acknowledged_by is not null as by from alert_acknowledgements
        where object_id = ${drone!.id}`;
    expect(ack).toEqual({ note: 'Crew on the way to pick it up', by: true });
    const [audit] = await sql`select action, resource_type from audit_logs where resource_id = ${drone!.id}`;
    expect(audit).toEqual({ action: 'alert.acknowledged', resource_type: 'drone' });

    // Heard from again after the acknowledgement, and offline once more: a new, open alert.
    await sql`update drones set last_seen_at = now() + interval '1 second' where id = ${drone!.id}`;
    await expect(openList.getByTestId('alert').filter({ hasText: model })).toHaveCount(1, { timeout: 15_000 });
    await sql`delete from drones where id = ${drone!.id}`;
  } finally {
    await sql.end();
  }
});
