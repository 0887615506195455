import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type APIRequestContext, type Page } from '@playwright/test';
import { expect as baseExpect, test, type Fixtures } from '../fixtures';
import { deriveDemoDeviceKey } from '@/lib/device-keys/keys';
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
const keyOf = (aruco: number) =>
  deriveDemoDeviceKey(process.env.DEMO_DEVICE_KEY_SEED ?? 'skypost-dev-seed', 'automat', String(aruco));
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

type T = Fixtures['t'];

/** Pairs the screen as staff do: the locker's device key and a staff PIN, typed twice. */
async function pair(page: Page, { t, key = automatKey, pin = STAFF_PIN }: { t: T; key?: string; pin?: string }) {
  await page.getByLabel(t('kiosk.pair.deviceKey')).fill(key);
  await page.getByLabel(t('kiosk.pair.newPin')).fill(pin);
  await page.getByLabel(t('kiosk.pair.repeatPin')).fill(pin);
  await page.getByRole('button', { name: t('kiosk.pair.submit'), exact: true }).click();
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
test.use({
  allowedConsoleErrors: [/status of (401 \(Unauthorized\)|403 \(Forbidden\)|404 \(Not Found\)|410 \(Gone\))/],
});

test('the kiosk reads the pickup QR from the camera and opens the cell', async ({ playwright, baseURL, t }) => {
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
    const context = await browser.newContext({
      baseURL,
      permissions: ['camera'],
      locale: test.info().project.use.locale,
    });
    const page = await context.newPage();
    await page.goto(`/kiosk/${automatId}`);
    await pair(page, { t });
    await expect(page.getByRole('heading', { name: t('kiosk.public.title') })).toBeVisible();
    // Nothing typed: the camera sees the code.
    await expect(page.getByTestId('opened-cells')).toHaveText(t('kiosk.result.cell', { cell: String(cell) }));
    const mine = (await (await request.get('/api/me/orders')).json()) as { orders: { status: string }[] };
    expect(mine.orders[0]?.status).toBe('completed');
  } finally {
    await browser.close();
    await request.dispose();
  }
});

test('@locales the pickup page’s PIN on the kiosk keypad opens the cell once; pairing survives a reload', async ({
  page,
  browser,
  playwright,
  baseURL,
  t,
}) => {
  const request = await playwright.request.newContext({ baseURL });
  const { automatId, orderId, cell } = await customerWithParcel(request, PIN_LOCKER);

  // The customer reads the parcel's PIN on their pickup page.
  const customer = await browser.newContext({
    baseURL,
    storageState: await request.storageState(),
    locale: test.info().project.use.locale,
  });
  const pickup = await customer.newPage();
  await pickup.goto('/pickup');
  await expect(pickup.getByRole('list', { name: t('pickup.listLabel') })).toContainText(
    t('pickup.cell', { cell: String(cell) }),
  );
  const pin = (await pickup.getByTestId('pickup-pin').innerText()).trim();
  expect(pin).toMatch(/^[0-9]{6}$/);
  await customer.close();

  await page.goto(`/kiosk/${automatId}`);
  await pair(page, { t, key: 'spa_not-a-real-key-at-all-000000000000000000' });
  await expect(page.getByText(t('kiosk.pair.keyInvalid'))).toBeVisible();
  await pair(page, { t, key: keyOf(PIN_LOCKER) });
  await expect(page.getByRole('heading', { name: t('kiosk.public.title') })).toBeVisible();
  // The pairing is kept in the browser: a reload comes back paired.
  await page.reload();
  await expect(page.getByRole('heading', { name: t('kiosk.public.title') })).toBeVisible();
  await expect(page.getByLabel(t('kiosk.pair.deviceKey'))).toHaveCount(0);

  const pinLabel = t('kiosk.public.pinLabel');
  const keypad = page.getByRole('group', { name: t('kiosk.keypad.group', { label: pinLabel }) });
  const typeOnKeypad = async (digits: string) => {
    for (const d of digits) await keypad.getByRole('button', { name: d, exact: true }).click();
  };
  // A wrong PIN is explained, and the cell stays shut.
  await typeOnKeypad(pin === '000000' ? '000001' : '000000');
  await page.getByRole('button', { name: t('kiosk.public.open') }).click();
  await expect(page.getByTestId('scan-error')).toContainText(t('kiosk.errors.invalid_pin.title'));

  // A typo fixed with the delete key, then the right PIN opens the cell.
  await typeOnKeypad(`${pin.slice(0, 5)}9`);
  await keypad.getByRole('button', { name: t('kiosk.keypad.delete') }).click();
  await typeOnKeypad(pin.slice(5));
  await expect(page.getByLabel(pinLabel, { exact: true })).toHaveValue(pin);
  await page.getByRole('button', { name: t('kiosk.public.open') }).click();
  await expect(page.getByTestId('opened-cells')).toHaveText(t('kiosk.result.cell', { cell: String(cell) }));
  const mine = (await (await request.get(`/api/me/orders/${orderId}`)).json()) as {
    order: { status: string; pickup_pin: string | null };
  };
  expect(mine.order).toMatchObject({ status: 'completed', pickup_pin: null });

  // The pickup spent it: the same PIN, typed on a hardware keyboard, opens nothing.
  const field = page.getByLabel(pinLabel, { exact: true });
  await field.pressSequentially(pin);
  await field.press('Enter');
  await expect(page.getByTestId('scan-error')).toContainText(t('kiosk.errors.invalid_pin.title'));
  await request.dispose();
});

test('@locales public kiosk: no staff controls; staff PIN opens staff mode, idle closes it; unpair asks first', async ({
  page,
  t,
}) => {
  const { automatId } = await ids();
  await page.clock.install();
  await page.goto(`/kiosk/${automatId}`);
  // Pairing refuses a PIN anyone would guess first, and two different PINs.
  await pair(page, { t, key: automatKey, pin: '123456' });
  await expect(page.getByText(t('validation.custom.trivialPin'))).toBeVisible();
  await page.getByLabel(t('kiosk.pair.deviceKey')).fill(automatKey);
  await page.getByLabel(t('kiosk.pair.newPin')).fill(STAFF_PIN);
  await page.getByLabel(t('kiosk.pair.repeatPin')).fill('480318');
  await page.getByRole('button', { name: t('kiosk.pair.submit'), exact: true }).click();
  await expect(page.getByText(t('kiosk.pair.pinsDiffer'))).toBeVisible();
  await pair(page, { t });

  // Public mode: the scanner, the result area and how many deliveries are arriving. Nothing else.
  const publicTitle = page.getByRole('heading', { name: t('kiosk.public.title') });
  await expect(publicTitle).toBeVisible();
  const arriving = page.getByTestId('arriving');
  await expect(arriving).toHaveAttribute('data-count', /^\d+$/);
  const count = Number(await arriving.getAttribute('data-count'));
  await expect(arriving).toHaveText(count === 0 ? t('kiosk.arriving.none') : t('kiosk.arriving.count', { count }));
  const unpairButton = page.getByRole('button', { name: t('kiosk.staff.unpair') });
  await expect(unpairButton).toHaveCount(0);
  await expect(page.getByRole('list', { name: t('kiosk.staff.toMoveLabel') })).toHaveCount(0);
  await expect(page.getByText(t('kiosk.staff.toMove'))).toHaveCount(0);
  await expect(page.getByRole('button', { name: t('kiosk.staff.close') })).toHaveCount(0);

  // A wrong staff PIN, typed on the keypad, is refused by the server.
  const staffButton = page.getByRole('button', { name: t('kiosk.staffButton'), exact: true });
  await staffButton.click();
  await expect(page.getByRole('heading', { name: t('kiosk.staffPin.title') })).toBeVisible();
  for (const digit of '111222') await page.getByRole('button', { name: digit, exact: true }).click();
  await page.getByRole('button', { name: t('kiosk.staffPin.submit') }).click();
  await expect(page.getByText(t('kiosk.staffPin.wrong'))).toBeVisible();
  const staffTitle = page.getByRole('heading', { name: t('kiosk.staff.title'), exact: true });
  await expect(staffTitle).toHaveCount(0);

  // The right one, on a hardware keyboard.
  const field = page.getByLabel(t('kiosk.staffPin.label'), { exact: true });
  await field.pressSequentially(STAFF_PIN);
  await field.press('Enter');
  await expect(staffTitle).toBeVisible();
  await expect(page.getByRole('list', { name: t('kiosk.staff.toMoveLabel') })).toBeVisible();

  // Unpairing asks first; keeping it changes nothing.
  await unpairButton.click();
  const confirm = page.getByRole('alertdialog', { name: t('kiosk.staff.unpairTitle') });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: t('kiosk.staff.unpairKeep') }).click();
  await expect(confirm).toHaveCount(0);
  await expect(staffTitle).toBeVisible();

  // Left alone for a minute, staff mode closes itself.
  await page.clock.fastForward('01:05');
  await expect(publicTitle).toBeVisible();
  await expect(unpairButton).toHaveCount(0);

  // Staff again, and this time unpair: the screen asks for the device key again.
  await staffButton.click();
  await page.getByLabel(t('kiosk.staffPin.label'), { exact: true }).fill(STAFF_PIN);
  await page.getByRole('button', { name: t('kiosk.staffPin.submit') }).click();
  await unpairButton.click();
  await page
    .getByRole('alertdialog', { name: t('kiosk.staff.unpairTitle') })
    .getByRole('button', { name: t('kiosk.staff.unpairYes') })
    .click();
  await expect(page.getByRole('heading', { name: t('kiosk.pair.title') })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(t('kiosk.pair.deviceKey'))).toBeVisible();
});
