// npm run screenshots -- [base URL] — the customer journey in English at 390 and 1440 px, as
// docs/screenshots/customer-<step>-<width>.png: home, catalog, ordering with the locker picker,
// the live order page (a drone on its way), the pickup page with its PINs, and the kiosk.
//
// Run it against a running production server on the demo database, started with WORKERS=0 and
// SIMULATOR=off so that the orders stay in the states this script puts them in:
//   WORKERS=0 SIMULATOR=off npm start        (another shell)   npm run screenshots
// It registers a customer of its own, places three orders at Red Square and moves them through
// the domain layer (as the worker, a drone and the locker would): two parcels wait in the locker,
// one is in the air. The kiosk is paired with the locker's demo key (or, when that is not
// current, a newly issued key: this rotates the demo locker's key).
import './lib/dotenv';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { createDb, createSql } from '@/db';
import { env } from '@/env';
import { issueDeviceKey } from '@/lib/device-keys/issue';
import { deriveDemoDeviceKey } from '@/lib/device-keys/keys';
import { applyDroneEvent, assignOrder, transferToPickupCell } from '@/lib/dispatch/delivery-flow';
import { recordTelemetry } from '@/lib/telemetry/record';
import { EMBEDDED_DATABASE } from './lib/database';

const e = env();
const baseURL = process.argv[2] ?? `http://127.0.0.1:${e.PORT}`;
// The running server owns the embedded database: connect to it, never start a second one.
const databaseUrl =
  e.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${e.EMBEDDED_PG_PORT}/${EMBEDDED_DATABASE}`;
const outDir = path.resolve('docs/screenshots');
const WIDTHS = [390, 1440] as const;
const LOCKER_ARUCO = 101;

const sql = createSql(databaseUrl, 2);
const db = createDb(sql);

async function must<T>(what: string, rows: Promise<T[]>): Promise<T> {
  const [row] = await rows;
  if (!row) throw new Error(`${what} is missing: is this the demo database (npm start seeds it)?`);
  return row;
}

/** An idle demo drone reporting in at its spot, so the dispatcher may assign it. */
async function wakeADrone(): Promise<void> {
  const d = await must(
    'An idle drone with a position',
    sql<{ id: string; lat: number; lon: number }[]>`
      select id, last_lat as lat, last_lon as lon from drones
      where status = 'idle' and last_lat is not null and coalesce(battery_level, 0) > 50 order by call_sign limit 1`,
  );
  await recordTelemetry(db, {
    droneId: d.id,
    readings: [{ lat: d.lat, lon: d.lon, battery_level: 95, status: 'idle' }],
  });
}

/** Assigns an order to the nearest drone and takes off; returns the drone. */
async function launch(orderId: string): Promise<{ deliveryId: string; droneId: string }> {
  await wakeADrone();
  const assigned = await assignOrder(db, orderId, { minBattery: 30, offlineAfterMs: 60_000 });
  if (assigned.kind !== 'assigned')
    throw new Error(`Order ${orderId} was not assigned (${assigned.kind}). Is the server running with WORKERS=0?`);
  await applyDroneEvent(db, { deliveryId: assigned.deliveryId, droneId: assigned.droneId, event: { type: 'started' } });
  return assigned;
}

async function deliver(orderId: string, automatId: string): Promise<void> {
  const { deliveryId, droneId } = await launch(orderId);
  await applyDroneEvent(db, { deliveryId, droneId, event: { type: 'dropped' } });
  await transferToPickupCell(db, { automatId, deliveryId });
}

async function signIn(request: APIRequestContext, email: string, password: string): Promise<void> {
  const registered = await request.post('/api/auth/register', { data: { full_name: 'Anna Petrova', email, password } });
  if (registered.status() !== 201)
    throw new Error(`Registering the screenshot customer failed: ${registered.status()} ${await registered.text()}`);
  const { csrfToken } = (await (await request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const res = await request.post('/api/auth/callback/password', {
    form: { email, password, csrfToken },
    maxRedirects: 0,
  });
  if (res.status() >= 400) throw new Error(`Signing in failed: ${res.status()}`);
}

async function order(request: APIRequestContext, goodId: string, automatId: string): Promise<string> {
  const res = await request.post('/api/orders', { data: { good_id: goodId, parcel_automat_id: automatId } });
  if (res.status() !== 201) throw new Error(`Ordering failed: ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { order: { id: string } }).order.id;
}

/** The locker's device key for the kiosk: the demo key when it is current, else a new one. */
async function kioskKey(automatId: string): Promise<string> {
  const demo = deriveDemoDeviceKey(e.DEMO_DEVICE_KEY_SEED, 'automat', String(LOCKER_ARUCO));
  const check = await fetch(new URL(`/api/automats/${automatId}/expected`, baseURL), {
    headers: { authorization: `Bearer ${demo}` },
  });
  if (check.ok) return demo;
  process.stdout.write(
    'The demo locker key is not current here: issuing a new key for Red Square (the previous one stops working).\n',
  );
  return issueDeviceKey(db, 'automat', automatId);
}

async function shoot(page: Page, step: string, width: number): Promise<void> {
  // Web fonts, the map's fallback background and late layout settle before the picture.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(600);
  const file = path.join(outDir, `customer-${step}-${width}.png`);
  await page.screenshot({ path: file, fullPage: true });
  process.stdout.write(`  ${path.relative(process.cwd(), file)}\n`);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
try {
  mkdirSync(outDir, { recursive: true });
  const locker = await must(
    'Red Square locker',
    sql<{ id: string }[]>`select id from parcel_automats where aruco_id = ${LOCKER_ARUCO}`,
  );
  const goods = await sql<
    { id: string; name: string }[]
  >`select id, name from goods where name in ('Small Package', 'Phone Charger', 'Wireless Headphones')`;
  const good = (name: string) => goods.find((g) => g.name === name)?.id ?? '';
  if (goods.length < 3) throw new Error('The demo goods are missing: is this the demo database (npm start seeds it)?');

  const setup = await browser.newContext({ baseURL, locale: 'en-US' });
  const email = `screenshots.${Date.now().toString(36)}@example.com`;
  await signIn(setup.request, email, `screens-${Date.now().toString(36)}-1`);
  const waiting = [
    await order(setup.request, good('Small Package'), locker.id),
    await order(setup.request, good('Phone Charger'), locker.id),
  ];
  for (const id of waiting) await deliver(id, locker.id);
  const flying = await order(setup.request, good('Wireless Headphones'), locker.id);
  const { droneId } = await launch(flying);
  // About 1.6 km south-east of the locker, heading for it.
  await recordTelemetry(db, {
    droneId,
    readings: [{ lat: 55.744, lon: 37.632, battery_level: 81, speed_mps: 14, heading_deg: 330 }],
  });
  const pins = (
    await sql<
      { pickup_pin: string }[]
    >`select pickup_pin from orders where id in ${sql(waiting)} and pickup_pin is not null order by created_at`
  ).map((r) => r.pickup_pin);
  const storage = await setup.storageState();
  await setup.close();
  const key = await kioskKey(locker.id);

  for (const width of WIDTHS) {
    const viewport = { width, height: width === 390 ? 844 : 900 };
    const context: BrowserContext = await browser.newContext({
      baseURL,
      viewport,
      locale: 'en-US',
      timezoneId: 'Europe/Moscow',
      storageState: storage,
    });
    const page = await context.newPage();
    await page.goto('/');
    await shoot(page, 'home', width);

    await page.goto('/catalog');
    await shoot(page, 'catalog', width);

    await page.goto(`/order/${good('Small Package')}`);
    await page.locator('.leaflet-container').waitFor();
    await page.getByRole('radio', { name: /Red Square/ }).check();
    await shoot(page, 'order', width);

    // A fresh reading, so the page says "just now" rather than how long this script has run.
    await recordTelemetry(db, {
      droneId,
      readings: [{ lat: 55.744, lon: 37.632, battery_level: 81, speed_mps: 14, heading_deg: 330 }],
    });
    await page.goto(`/orders/${flying}`);
    await page.locator('.leaflet-tooltip').nth(1).waitFor();
    await shoot(page, 'live-order', width);

    await page.goto('/pickup');
    await page.getByTestId('pickup-pin').first().waitFor();
    await shoot(page, 'pickup', width);
    await context.close();
  }

  // Last, as it collects a parcel: the kiosk, a screen of its own, paired with the locker's key.
  for (const width of WIDTHS) {
    const viewport = { width, height: width === 390 ? 844 : 900 };
    // The kiosk: a screen of its own, paired with the locker's key; a customer types a PIN.
    const kiosk = await browser.newContext({ baseURL, viewport, locale: 'en-US', timezoneId: 'Europe/Moscow' });
    await kiosk.addInitScript(([id, k]) => window.localStorage.setItem(`skypost.kiosk.${id}.key`, k), [
      locker.id,
      key,
    ] as const);
    const screen = await kiosk.newPage();
    await screen.goto(`/kiosk/${locker.id}`);
    await screen.getByTestId('arriving').waitFor();
    const pin = pins.shift();
    if (pin) {
      await screen.getByLabel('Pickup PIN', { exact: true }).fill(pin);
      await screen.getByRole('button', { name: 'Open my cell' }).click();
      await screen.getByTestId('opened-cells').waitFor();
    }
    await shoot(screen, 'kiosk', width);
    await kiosk.close();
  }
} finally {
  await browser.close();
  await sql.end({ timeout: 5 });
}
