import { expect as baseExpect, test, type APIRequestContext, type Browser } from '@playwright/test';
import { createDb, createSql } from '@/db';
import { assignOrder } from '@/lib/dispatch/lifecycle';
import { databaseUrl, register, signInWithPassword, uid } from '../api/helpers';
import { deliverThroughDomain, reportingTestDrone } from '../support/delivery';

// The customer's order page: at most five milestones (no dispatch internals, no duplicated
// assignment), dates in <time> that render the same on the server and in the browser, and on
// a phone the ETA above the map.

// Whole journeys (a customer, a delivery, a page) on a busy 2-core machine.
const expect = baseExpect.configure({ timeout: 30_000 });
test.describe.configure({ timeout: 180_000 });

async function ids() {
  const sql = createSql(databaseUrl, 1);
  try {
    const [a] = await sql<{ id: string }[]>`select id from parcel_automats where aruco_id = 101`;
    const [g] = await sql<{ id: string }[]>`select id from goods where name = 'Small Package'`;
    return { automatId: a!.id, goodId: g!.id };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** A signed-in customer (API context and a browser context sharing the session) with one order. */
async function customerWithOrder(browser: Browser, request: APIRequestContext, baseURL: string, viewport = { width: 1440, height: 900 }) {
  const { automatId, goodId } = await ids();
  const email = `e2e.timeline.${uid()}@example.com`;
  await register(request, { full_name: 'Timeline Customer', email, password: 'timeline-password-1' });
  await signInWithPassword(request, email, 'timeline-password-1');
  const created = await request.post('/api/orders', { data: { good_id: goodId, parcel_automat_id: automatId } });
  expect(created.status()).toBe(201);
  const { order } = (await created.json()) as { order: { id: string } };
  const context = await browser.newContext({ baseURL, viewport, storageState: await request.storageState() });
  const errors: string[] = [];
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && !/tile|Failed to load resource/i.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { orderId: order.id, automatId, page, context, errors };
}

test('@locales a delivered order shows four milestones with the pickup deadline, and no dispatch internals', async ({ browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const { orderId, automatId, page, context, errors } = await customerWithOrder(browser, request, baseURL!);
  try {
    const cell = await deliverThroughDomain(databaseUrl, orderId, automatId);
    await page.goto(`/orders/${orderId}`);
    await expect(page.getByTestId('order-status')).toHaveText('Ready for pickup');
    const timeline = page.getByRole('list', { name: 'Order timeline' });
    const items = timeline.getByRole('listitem');
    await expect(items).toHaveCount(4);
    await expect(items.nth(0)).toContainText('Order placed');
    await expect(items.nth(1)).toContainText('Drone on its way');
    await expect(items.nth(2)).toContainText(/In the locker until \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}/);
    await expect(items.nth(2)).toContainText(`cell ${cell}`);
    await expect(items.nth(2)).toHaveAttribute('aria-current', 'step');
    await expect(items.nth(3)).toContainText('Collected (not yet)');
    await expect(timeline).not.toContainText('Drone assigned');
    await expect(page.getByText(/Nearest idle drone|battery above/)).toHaveCount(0);
    // Every date is a <time> with its machine-readable instant.
    const stamps = await timeline.locator('time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
    expect(stamps.length).toBeGreaterThanOrEqual(4);
    for (const s of stamps) expect(s).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // The API's customer copy of the timeline leaves the dispatcher's reasoning out as well.
    const api = await (await request.get(`/api/me/orders/${orderId}`)).text();
    expect(api).not.toMatch(/Nearest idle drone|battery_level|distance_m/);
    expect(errors, 'no console errors (hydration included)').toEqual([]);
  } finally {
    await context.close();
    await request.dispose();
  }
});

test('@locales on a phone the ETA comes before the map; on a wide screen the map is on the left', async ({ browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const { orderId, page, context, errors } = await customerWithOrder(browser, request, baseURL!, { width: 390, height: 844 });
  const sql = createSql(databaseUrl, 2);
  try {
    await reportingTestDrone(databaseUrl, { lat: 55.74, lon: 37.62 }, 15);
    expect((await assignOrder(createDb(sql), orderId, { minBattery: 30, offlineAfterMs: 60_000 })).kind).toBe('assigned');
    await page.goto(`/orders/${orderId}`);
    await expect(page.getByTestId('order-status')).toHaveText('On its way');
    const eta = page.getByTestId('eta');
    const map = page.locator('.leaflet-container');
    await expect(map).toBeVisible();
    const [etaBox, mapBox] = [await eta.boundingBox(), await map.boundingBox()];
    expect(etaBox!.y + etaBox!.height).toBeLessThanOrEqual(mapBox!.y);
    await page.setViewportSize({ width: 1440, height: 900 });
    const [wideEta, wideMap] = [await eta.boundingBox(), await map.boundingBox()];
    expect(wideMap!.x).toBeLessThan(wideEta!.x);
    expect(errors, 'no console errors (hydration included)').toEqual([]);
  } finally {
    await sql.end({ timeout: 5 });
    await context.close();
    await request.dispose();
  }
});
