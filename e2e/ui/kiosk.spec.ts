import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type APIRequestContext } from '@playwright/test';
import { expect, test } from '../fixtures';
import { deriveDemoDeviceKey } from '@/lib/devices/keys';
import { databaseUrl, register, signInWithPassword, uid } from '../api/helpers';
import { deliverThroughDomain } from '../support/delivery';
import { writeQrVideo } from '../support/y4m';
import postgres from 'postgres';

// The locker's screen: paired with the automat's key, it reads the customer's pickup QR
// from the camera (Chromium's fake camera playing a video of the code), or from the typed
// fallback, and shows which cells opened.

const RED_SQUARE = 101;
const automatKey = deriveDemoDeviceKey(process.env.DEMO_DEVICE_KEY_SEED ?? 'skypost-dev-seed', 'automat', String(RED_SQUARE));

async function ids() {
  const sql = postgres(databaseUrl, { max: 1 });
  try {
    const [a] = await sql<{ id: string }[]>`select id from parcel_automats where aruco_id = ${RED_SQUARE}`;
    const [g] = await sql<{ id: string }[]>`select id from goods where name = 'Small Package'`;
    return { automatId: a!.id, goodId: g!.id };
  } finally {
    await sql.end();
  }
}

/** A customer with a parcel waiting at Red Square; returns their current pickup token. */
async function customerWithParcel(request: APIRequestContext) {
  const { automatId, goodId } = await ids();
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
    await page.getByLabel('Device key').fill(automatKey);
    await page.getByRole('button', { name: 'Pair' }).click();
    await expect(page.getByRole('heading', { name: 'Show your pickup code' })).toBeVisible();
    // Nothing typed: the camera sees the code.
    await expect(page.getByTestId('opened-cells')).toHaveText(`Cell ${cell}`, { timeout: 15_000 });
    const mine = (await (await request.get('/api/me/orders')).json()) as { orders: { status: string }[] };
    expect(mine.orders[0]?.status).toBe('completed');
  } finally {
    await browser.close();
    await request.dispose();
  }
});

test('the typed fallback opens the cell; errors are explained; pairing survives a reload', async ({ page, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const { automatId, cell, token } = await customerWithParcel(request);
  await page.goto(`/kiosk/${automatId}`);
  await page.getByLabel('Device key').fill('spa_not-a-real-key-at-all-000000000000000000');
  await page.getByRole('button', { name: 'Pair' }).click();
  await expect(page.getByText('This key is not valid')).toBeVisible();
  await page.getByLabel('Device key').fill(automatKey);
  await page.getByRole('button', { name: 'Pair' }).click();
  await expect(page.getByRole('heading', { name: 'Show your pickup code' })).toBeVisible();
  // The pairing is kept in the browser: a reload comes back paired.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Show your pickup code' })).toBeVisible();
  await expect(page.getByLabel('Device key')).toHaveCount(0);

  const code = page.getByLabel('Camera not working? Type or paste the code');
  await code.fill('SP1.forged.token');
  await page.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('scan-error')).toContainText('This code is not valid');

  await code.fill(token);
  await page.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('opened-cells')).toHaveText(`Cell ${cell}`);

  await code.fill(token);
  await page.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('scan-error')).toContainText('Nothing to collect here');

  const renewed = (await (await request.post('/api/me/pickup-code')).json()) as { token: string };
  expect(renewed.token).not.toBe(token);
  await code.fill(token);
  await page.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('scan-error')).toContainText('This code has expired');
  await request.dispose();
});
