import type { Locator, Page } from '@playwright/test';
import { createDb, createSql } from '@/db';
import { assignOrder } from '@/lib/dispatch/delivery-flow';
import { recordTelemetry } from '@/lib/telemetry/record';
import { databaseUrl, register, signInWithPassword, uid } from '../api/helpers';
import { deliverThroughDomain, reportingTestDrone } from '../support/delivery';
import { expect as baseExpect, hydrated, test } from '../fixtures';

// The customer's order page, in the browser's language: at most five milestones (no dispatch
// internals, no duplicated assignment), the drone by its call sign, dates in <time> that render
// the same on the server and in the browser, on a phone the ETA above the map, and a tracking
// map that keeps the drone and the locker in view as the drone flies.

// Whole journeys (a customer, a delivery, a page) on a busy 2-core machine.
const expect = baseExpect.configure({ timeout: 30_000 });
test.describe.configure({ timeout: 180_000 });

async function ids() {
  const sql = createSql(databaseUrl, 1);
  try {
    const [a] = await sql<
      { id: string; address: string }[]
    >`select id, address from parcel_automats where aruco_id = 101`;
    const [g] = await sql<{ id: string }[]>`select id from goods where name = 'Small Package'`;
    return { automatId: a!.id, address: a!.address, goodId: g!.id };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** A signed-in customer (this page's context holds the session) with one pending order. */
async function customerWithOrder(page: Page) {
  const { automatId, address, goodId } = await ids();
  const email = `e2e.timeline.${uid()}@example.com`;
  await register(page.request, { full_name: 'Timeline Customer', email, password: 'timeline-password-1' });
  expect((await signInWithPassword(page.request, email, 'timeline-password-1')).status()).toBeLessThan(400);
  const created = await page.request.post('/api/orders', { data: { good_id: goodId, parcel_automat_id: automatId } });
  expect(created.status()).toBe(201);
  const { order } = (await created.json()) as { order: { id: string } };
  return { orderId: order.id, automatId, address };
}

/** The call sign of the drone carrying an order (its latest delivery). */
async function callSignOf(orderId: string): Promise<string> {
  const sql = createSql(databaseUrl, 1);
  try {
    const [row] = await sql<{ call_sign: string }[]>`
      select d.call_sign from deliveries dl join drones d on d.id = dl.drone_id
      where dl.order_id = ${orderId} order by dl.created_at desc limit 1`;
    return row!.call_sign;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Assigns the order to a drone reporting near the locker; returns that drone's id. */
async function assignNearby(orderId: string): Promise<string> {
  await reportingTestDrone(databaseUrl, { lat: 55.74, lon: 37.62 }, 15);
  const sql = createSql(databaseUrl, 2);
  try {
    const assigned = await assignOrder(createDb(sql), orderId, { minBattery: 30, offlineAfterMs: 60_000 });
    if (assigned.kind !== 'assigned') throw new Error(`not assigned: ${JSON.stringify(assigned)}`);
    return assigned.droneId;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

test('@locales delivered order: four milestones, drone’s call sign, pickup deadline, no dispatch internals', async ({
  page,
  t,
  locale,
}) => {
  const { orderId, automatId } = await customerWithOrder(page);
  const cell = await deliverThroughDomain(databaseUrl, orderId, automatId);
  const callSign = await callSignOf(orderId);
  expect(callSign).toMatch(/^[A-Z0-9-]{2,12}$/);
  await page.goto(`/orders/${orderId}`);
  await hydrated(page);
  await expect(page.getByTestId('order-status')).toHaveText(t('orders.status.delivered'));
  const timeline = page.getByRole('list', { name: t('tracking.timeline.label') });
  const items = timeline.getByRole('listitem');
  await expect(items).toHaveCount(4);
  await expect(items.nth(0)).toContainText(t('tracking.timeline.placed'));
  // The drone by its call sign, once (one milestone for the assignment, not two).
  await expect(items.nth(1)).toContainText(t('tracking.timeline.onTheWayDrone', { callSign }));
  // The pickup deadline, 72 h after the drop, in the app's zone and the page's language.
  const api = (await (await page.request.get(`/api/me/orders/${orderId}`)).json()) as {
    order: { milestones: { key: string; until: string | null }[] };
  };
  const until = api.order.milestones.find((m) => m.key === 'in_locker')?.until;
  expect(until).toBeTruthy();
  const untilText = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Moscow',
  }).format(new Date(until!));
  await expect(items.nth(2)).toContainText(`${t('tracking.timeline.inLocker')}`);
  await expect(items.nth(2).locator(`time[datetime="${until}"]`)).toHaveText(untilText);
  await expect(items.nth(2)).toContainText(t('tracking.timeline.cell', { cell: String(cell) }));
  await expect(items.nth(2)).toHaveAttribute('aria-current', 'step');
  await expect(items.nth(3)).toContainText(`${t('tracking.timeline.collected')} ${t('tracking.timeline.notYet')}`);
  await expect(timeline.getByText(t('tracking.timeline.onTheWayDrone', { callSign }))).toHaveCount(1);
  await expect(page.getByText(/Nearest idle drone|battery above/)).toHaveCount(0);
  // Every date is a <time> with its machine-readable instant.
  const stamps = await timeline.locator('time').evaluateAll((ts) => ts.map((el) => el.getAttribute('datetime')));
  expect(stamps.length).toBeGreaterThanOrEqual(4);
  for (const s of stamps) expect(s).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  // The API's customer copy of the timeline leaves the dispatcher's reasoning out as well.
  const { order } = (await (await page.request.get(`/api/me/orders/${orderId}`)).json()) as {
    order: { timeline: unknown[] };
  };
  expect(order.timeline.length).toBeGreaterThan(4);
  expect(JSON.stringify(order.timeline)).not.toMatch(/Nearest idle drone|battery_level|distance_m/);
});

test.describe('a drone on its way', { tag: '@locales' }, () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('phone: ETA before the map; wide screen: map on the left; the drone goes by its call sign', async ({
    page,
    t,
  }) => {
    const { orderId, address } = await customerWithOrder(page);
    await assignNearby(orderId);
    const callSign = await callSignOf(orderId);
    await page.goto(`/orders/${orderId}`);
    await hydrated(page);
    await expect(page.getByTestId('order-status')).toHaveText(t('orders.status.processing'));
    await expect(page.getByTestId('status-hint')).toHaveText(t('tracking.hint.processingDrone', { callSign }));
    await expect(page.getByTestId('drone-call-sign')).toHaveText(callSign);
    const eta = page.getByTestId('eta');
    const map = page.locator('.leaflet-container');
    await expect(map).toBeVisible();
    // The map labels the drone by its call sign too.
    await expect(map.locator('.leaflet-tooltip', { hasText: callSign })).toBeVisible();
    await expect(map.locator('.leaflet-tooltip', { hasText: address })).toBeVisible();
    const [etaBox, mapBox] = [await eta.boundingBox(), await map.boundingBox()];
    expect(etaBox!.y + etaBox!.height).toBeLessThanOrEqual(mapBox!.y);
    await page.setViewportSize({ width: 1440, height: 900 });
    await expect.poll(async () => (await map.boundingBox())!.x < (await eta.boundingBox())!.x).toBe(true);
  });
});

/** The centre of a map label, in page pixels. */
async function centre(label: Locator) {
  const b = (await label.boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** True when both labels' centres are inside the map's box. */
async function bothInView(map: Locator, a: Locator, b: Locator): Promise<boolean> {
  const box = await map.boundingBox();
  if (!box || !(await a.isVisible()) || !(await b.isVisible())) return false;
  return [await centre(a), await centre(b)].every(
    (p) => p.x >= box.x && p.x <= box.x + box.width && p.y >= box.y && p.y <= box.y + box.height,
  );
}

test('@locales the tracking map refits to keep the drone and the locker in view as the drone flies', async ({
  page,
  t,
}) => {
  const { orderId, address } = await customerWithOrder(page);
  const droneId = await assignNearby(orderId);
  const callSign = await callSignOf(orderId);
  const sql = createSql(databaseUrl, 1);
  const { order } = (await (await page.request.get(`/api/me/orders/${orderId}`)).json()) as {
    order: { automat: { lat: number; lon: number } };
  };
  const at = order.automat;
  const fly = (lat: number, lon: number) =>
    recordTelemetry(createDb(sql), {
      droneId,
      readings: [{ lat, lon, battery_level: 90, speed_mps: 15, heading_deg: 180 }],
    });
  try {
    await page.goto(`/orders/${orderId}`);
    await hydrated(page);
    await expect(page.getByTestId('order-status')).toHaveText(t('orders.status.processing'));
    const map = page.locator('.leaflet-container');
    const drone = map.locator('.leaflet-tooltip', { hasText: callSign });
    const locker = map.locator('.leaflet-tooltip', { hasText: address });
    await expect.poll(() => bothInView(map, drone, locker)).toBe(true);

    // The drone far to the north, well outside the first view (zoom 14 shows a few km): the
    // map zooms out to keep both, and the labels stand far apart.
    await fly(at.lat + 0.25, at.lon + 0.05);
    await expect(page.getByTestId('eta')).not.toHaveText(t('tracking.delivery.lessThanMinute'));
    await expect
      .poll(async () => (await centre(locker)).y - (await centre(drone)).y, {
        message: 'the drone is drawn north of the locker',
      })
      .toBeGreaterThan(80);
    await expect.poll(() => bothInView(map, drone, locker)).toBe(true);
    const farApart = (await centre(locker)).y - (await centre(drone)).y;

    // Farther still, to the south-west this time: still both in view.
    await fly(at.lat - 0.4, at.lon - 0.3);
    await expect
      .poll(async () => (await centre(drone)).y - (await centre(locker)).y, {
        message: 'the drone is drawn south of the locker',
      })
      .toBeGreaterThan(100);
    await expect.poll(() => bothInView(map, drone, locker)).toBe(true);

    // Arriving: 150 m away, the map zooms back in, so the two are no longer a few pixels apart.
    await fly(at.lat + 0.00135, at.lon);
    await expect(page.getByTestId('eta')).toHaveText(t('tracking.delivery.lessThanMinute'));
    await expect.poll(() => bothInView(map, drone, locker)).toBe(true);
    // At the far view's zoom 150 m is a pixel or two, and the labels (drone's below its dot,
    // the locker's above) would overlap; zoomed in, the drone's label stays clear above.
    await expect
      .poll(async () => (await centre(locker)).y - (await centre(drone)).y, { message: 'zoomed in on the arrival' })
      .toBeGreaterThan(20);
    expect(farApart).toBeGreaterThan(80);
  } finally {
    await sql.end({ timeout: 5 });
  }
});
