import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type APIRequestContext, type Page } from '@playwright/test';
import { expect as baseExpect, test } from '../fixtures';
import { deriveDemoDeviceKey } from '@/lib/devices/keys';
import { databaseUrl, register, signInWithPassword, uid } from '../api/helpers';
import { deliverThroughDomain } from '../support/delivery';
import { writeQrVideo } from '../support/y4m';
import postgres from 'postgres';

// The locker's screen: paired with the automat's key, it reads the customer's pickup QR
// from the camera (Chromium's fake camera playing a video of the code), or from the typed
// fallback, and shows which cells opened.

// Each test is a whole journey (a customer, a delivery, the kiosk); on a busy 2-core machine
// a step such as pairing (an scrypt hash) can take longer than the default 10 s.
const expect = baseExpect.configure({ timeout: 30_000 });
test.describe.configure({ timeout: 180_000 });

const RED_SQUARE = 101;
/** The PIN test's locker, so its wrong PINs never meet another test's limit. */
const PIN_LOCKER = 102;
const keyOf = (aruco: number) => deriveDemoDeviceKey(process.env.DEMO_DEVICE_KEY_SEED ?? 'skypost-dev-seed', 'automat', String(aruco));
const automatKey = keyOf(RED_SQUARE);

async function ids(aruco = RED_SQUARE) {
  const sql = postgres(databaseUrl, { max: 1 });
  try {
    const [a] = await sql<{ id: string }[]>`select id from parcel_automats where aruco_id = ${aruco}`;
    const [g] = await sql<{ id: string }[]>`select id from goods where name = 'Small Package'`;
    return { automatId: a!.id, goodId: g!.id };
  } finally {
    await sql.end();
  }
}

const STAFF_PIN = '480317';

/** Pairs the screen as staff do: the locker's device key and a staff PIN, typed twice. */
async function pair(page: Page, key = automatKey, pin = STAFF_PIN) {
  await page.getByLabel('Device key').fill(key);
  await page.getByLabel('New staff PIN').fill(pin);
  await page.getByLabel('Repeat the staff PIN').fill(pin);
  await page.getByRole('button', { name: 'Pair' }).click();
}

/** A customer with a parcel waiting at a locker (Red Square unless told); returns their current pickup token. */
async function customerWithParcel(request: APIRequestContext, aruco = RED_SQUARE) {
  const { automatId, goodId } = await ids(aruco);
  const email = `e2e.kiosk.${uid()}@example.com`;
  await register(request, { full_name: 'Kiosk Customer', email, password: 'kiosk-password-1' });
  await signInWithPassword(request, email, 'kiosk-password-1');
  const created = await request.post('/api/orders', { data: { good_id: goodId, parcel_automat_id: automatId } });
  expect(created.status()).toBe(201);
  const { order } = (await created.json()) as { order: { id: string } };
  const cell = await deliverThroughDomain(databaseUrl, order.id, automatId);
  const { token } = (await (await request.get('/api/me/pickup-code')).json()) as { token: string };
  return { automatId, orderId: order.id, cell, token };
}

// Refusals the kiosk shows on purpose: its polling before pairing (401) and the wrong, unknown
// and spent codes these tests type (403, 404, 410). The browser logs each failed request.
test.use({ allowedConsoleErrors: [/status of (401 \(Unauthorized\)|403 \(Forbidden\)|404 \(Not Found\)|410 \(Gone\))/] });

test('the kiosk reads the pickup QR from the camera and opens the cell', async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const { automatId, cell, token } = await customerWithParcel(request);
  const video = path.join(mkdtempSync(path.join(os.tmpdir(), 'skypost-cam-')), 'qr.y4m');
  await writeQrVideo(video, token);

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
  try {
    const context = await browser.newContext({ baseURL, permissions: ['camera'] });
    const page = await context.newPage();
    await page.goto(`/kiosk/${automatId}`);
    await pair(page);
    await expect(page.getByRole('heading', { name: 'Show your pickup code' })).toBeVisible();
    // Nothing typed: the camera sees the code.
    await expect(page.getByTestId('opened-cells')).toHaveText(`Cell ${cell}`);
    const mine = (await (await request.get('/api/me/orders')).json()) as { orders: { status: string }[] };
    expect(mine.orders[0]?.status).toBe('completed');
  } finally {
    await browser.close();
    await request.dispose();
  }
});

test('@locales the pickup PIN shown on the customer’s pickup page, typed on the kiosk keypad, opens the cell once; pairing survives a reload', async ({ page, browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const { automatId, orderId, cell } = await customerWithParcel(request, PIN_LOCKER);

  // The customer reads the parcel's PIN on their pickup page.
  const customer = await browser.newContext({ baseURL, storageState: await request.storageState() });
  const pickup = await customer.newPage();
  await pickup.goto('/pickup');
  await expect(pickup.getByRole('list', { name: 'Parcels waiting' })).toContainText(`Cell ${cell}`);
  const pin = (await pickup.getByTestId('pickup-pin').innerText()).trim();
  expect(pin).toMatch(/^[0-9]{6}$/);
  await customer.close();

  await page.goto(`/kiosk/${automatId}`);
  await pair(page, 'spa_not-a-real-key-at-all-000000000000000000');
  await expect(page.getByText('This key is not valid')).toBeVisible();
  await pair(page, keyOf(PIN_LOCKER));
  await expect(page.getByRole('heading', { name: 'Show your pickup code' })).toBeVisible();
  // The pairing is kept in the browser: a reload comes back paired.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Show your pickup code' })).toBeVisible();
  await expect(page.getByLabel('Device key')).toHaveCount(0);

  const keypad = page.getByRole('group', { name: 'Pickup PIN keypad' });
  const typeOnKeypad = async (digits: string) => {
    for (const d of digits) await keypad.getByRole('button', { name: d, exact: true }).click();
  };
  // A wrong PIN is explained, and the cell stays shut.
  await typeOnKeypad(pin === '000000' ? '000001' : '000000');
  await page.getByRole('button', { name: 'Open my cell' }).click();
  await expect(page.getByTestId('scan-error')).toContainText('This PIN does not open a cell here');

  // A typo fixed with the delete key, then the right PIN opens the cell.
  await typeOnKeypad(`${pin.slice(0, 5)}9`);
  await keypad.getByRole('button', { name: 'Delete the last digit' }).click();
  await typeOnKeypad(pin.slice(5));
  await expect(page.getByLabel('Pickup PIN', { exact: true })).toHaveValue(pin);
  await page.getByRole('button', { name: 'Open my cell' }).click();
  await expect(page.getByTestId('opened-cells')).toHaveText(`Cell ${cell}`);
  const mine = (await (await request.get(`/api/me/orders/${orderId}`)).json()) as { order: { status: string; pickup_pin: string | null } };
  expect(mine.order).toMatchObject({ status: 'completed', pickup_pin: null });

  // The pickup spent it: the same PIN, typed on a hardware keyboard, opens nothing.
  const field = page.getByLabel('Pickup PIN', { exact: true });
  await field.pressSequentially(pin);
  await field.press('Enter');
  await expect(page.getByTestId('scan-error')).toContainText('This PIN does not open a cell here');
  await request.dispose();
});

test('@locales the public kiosk shows no staff controls; staff mode opens with the staff PIN, closes when idle, and unpairing asks first', async ({ page }) => {
  const { automatId } = await ids();
  await page.clock.install();
  await page.goto(`/kiosk/${automatId}`);
  // Pairing refuses a PIN anyone would guess first, and two different PINs.
  await pair(page, automatKey, '123456');
  await expect(page.getByText('Choose a PIN that is not a repeated digit')).toBeVisible();
  await page.getByLabel('Device key').fill(automatKey);
  await page.getByLabel('New staff PIN').fill(STAFF_PIN);
  await page.getByLabel('Repeat the staff PIN').fill('480318');
  await page.getByRole('button', { name: 'Pair' }).click();
  await expect(page.getByText('The two PINs are different')).toBeVisible();
  await pair(page);

  // Public mode: the scanner, the result area and how many deliveries are arriving. Nothing else.
  await expect(page.getByRole('heading', { name: 'Show your pickup code' })).toBeVisible();
  await expect(page.getByTestId('arriving')).toHaveText(/arriving/);
  await expect(page.getByRole('button', { name: 'Unpair screen' })).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Dropped parcels to move' })).toHaveCount(0);
  await expect(page.getByText(/drop cell/i)).toHaveCount(0);

  // A wrong staff PIN, typed on the keypad, is refused by the server.
  await page.getByRole('button', { name: 'Staff', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Staff sign-in' })).toBeVisible();
  for (const digit of '111222') await page.getByRole('button', { name: digit, exact: true }).click();
  await page.getByRole('button', { name: 'Open staff mode' }).click();
  await expect(page.getByText('That staff PIN is not correct.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Staff mode' })).toHaveCount(0);

  // The right one, on a hardware keyboard.
  const field = page.getByLabel('Staff PIN', { exact: true });
  await field.pressSequentially(STAFF_PIN);
  await field.press('Enter');
  await expect(page.getByRole('heading', { name: 'Staff mode' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Dropped parcels to move' })).toBeVisible();

  // Unpairing asks first; keeping it changes nothing.
  await page.getByRole('button', { name: 'Unpair screen' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Unpair this screen?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Keep it paired' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Staff mode' })).toBeVisible();

  // Left alone for a minute, staff mode closes itself.
  await page.clock.fastForward('01:05');
  await expect(page.getByRole('heading', { name: 'Show your pickup code' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unpair screen' })).toHaveCount(0);

  // Staff again, and this time unpair: the screen asks for the device key again.
  await page.getByRole('button', { name: 'Staff', exact: true }).click();
  await page.getByLabel('Staff PIN', { exact: true }).fill(STAFF_PIN);
  await page.getByRole('button', { name: 'Open staff mode' }).click();
  await page.getByRole('button', { name: 'Unpair screen' }).click();
  await page.getByRole('alertdialog', { name: 'Unpair this screen?' }).getByRole('button', { name: 'Yes, unpair' }).click();
  await expect(page.getByRole('heading', { name: 'Pair this screen' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Device key')).toBeVisible();
});
