import type { Locator, Page } from '@playwright/test';
import postgres from 'postgres';
import { loadEnv } from '@/env';
import { databaseUrl } from '../api/helpers';
import { authFile, expect, hydrated, test } from '../fixtures';

// The maps without a tile server (this machine has no internet, and MAP_TILE_URL keeps its
// default): each map says its background is unavailable, asks for at most one tile, draws the
// grid, a scale and permanent labels once zoomed in, and keeps working. In both locale
// projects: the notice is found by its test id, the rest by the page's own messages.

const template = loadEnv({}).MAP_TILE_URL;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Requests the page makes to the tile server (any subdomain, any tile). */
const tilePattern = new RegExp(
  `^${escape(template)
    .replace(/\\\{s\\\}/g, '[a-z0-9-]+')
    .replace(/\\\{[xyzr]\\\}/g, '[^/]*')}$`,
);

function countTileRequests(page: Page) {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (tilePattern.test(r.url())) seen.push(r.url());
  });
  return seen;
}

const notice = (page: Page | Locator) => page.getByTestId('map-offline-notice').and(page.getByRole('status'));

async function zoomTo(page: Page, zoom: number) {
  const zoomIn = page.getByRole('button', { name: 'Zoom in' });
  for (let i = 0; i < 8; i++) {
    const z = await page
      .locator('.leaflet-container')
      .first()
      .evaluate((el) => Number(el.getAttribute('data-zoom') ?? 'NaN'));
    if (z >= zoom) return;
    await zoomIn.click();
  }
}

test.describe('as a customer', () => {
  test.use({ storageState: authFile('customer') });

  test('locker picker: no-background notice, at most one tile then none, lockers labelled zoomed in @locales', async ({
    page,
  }) => {
    const sql = postgres(databaseUrl, { max: 1 });
    try {
      const [good] = await sql<{ id: string }[]>`select id from goods where name = 'Small Package'`;
      const lockers = await sql<
        { address: string }[]
      >`select address from parcel_automats where aruco_id between 101 and 107`;
      const tiles = countTileRequests(page);
      await page.goto(`/order/${good!.id}`);
      await expect(notice(page)).toBeVisible();
      await expect(page.locator('.leaflet-container')).toHaveAttribute('data-map-background', 'offline');
      await expect(page.locator('.leaflet-control-scale-line').first()).toBeVisible();
      expect(tiles.length).toBeLessThanOrEqual(1);
      // At city zoom the lockers have no permanent labels: they would cover each other.
      await expect(page.locator('.leaflet-container')).toHaveAttribute('data-zoom', /^(1[0-3]|[0-9])$/);
      await expect(page.locator('.leaflet-tooltip')).toHaveCount(0);

      // The same tab remembers the failure: the next map asks for no tile at all.
      tiles.length = 0;
      await page.reload();
      await expect(notice(page)).toBeVisible();
      expect(tiles).toEqual([]);

      // Zoomed in, every locker carries its address.
      await zoomTo(page, 14);
      for (const { address } of lockers)
        await expect(page.locator('.leaflet-tooltip', { hasText: address }).first()).toBeAttached();
      // The map still works: choosing a locker on it.
      await page.locator('path.automat-marker:not(.automat-marker-unavailable)').first().dispatchEvent('click');
      await expect(page.getByRole('radio', { checked: true })).toHaveCount(1);
    } finally {
      await sql.end();
    }
  });
});

test.describe('as an admin', () => {
  test.use({ storageState: authFile('admin') });

  test('the live map shows the notice, a scale, and locker addresses zoomed in @locales', async ({ page }) => {
    const sql = postgres(databaseUrl, { max: 1 });
    try {
      const tiles = countTileRequests(page);
      await page.goto('/admin');
      await hydrated(page);
      await expect(page.getByTestId('fleet-map')).toBeVisible();
      await expect(notice(page)).toBeVisible();
      await expect(page.getByTestId('fleet-map')).toHaveAttribute('data-map-background', 'offline');
      await expect(page.locator('.leaflet-control-scale-line').first()).toBeVisible();
      expect(tiles.length).toBeLessThanOrEqual(1);
      const [locker] = await sql<
        { id: string; address: string }[]
      >`select id, address from parcel_automats where aruco_id = 101`;
      await page.locator(`[data-automat="${locker!.id}"]`).click();
      await zoomTo(page, 14);
      await expect(page.locator(`[data-automat="${locker!.id}"]`)).toContainText(locker!.address);
    } finally {
      await sql.end();
    }
  });

  test('the locker position picker: the notice takes no clicks, the map does @locales', async ({ page, t }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/admin/automats');
    await hydrated(page);
    const picker = page.getByRole('group', { name: t('adminFleet.automatForm.map') });
    const box = notice(picker);
    await expect(box).toBeVisible();
    // On a phone the notice starts folded: the title, and a button for the explanation.
    const why = box.getByRole('button');
    await expect(why).toHaveAttribute('aria-expanded', 'false');
    const details = page.locator(`[id="${await why.getAttribute('aria-controls')}"]`);
    await expect(details).toBeHidden();
    await why.click();
    await expect(why).toHaveAttribute('aria-expanded', 'true');
    await expect(details).toBeVisible();
    const latitude = page.getByLabel(t('adminFleet.automatForm.lat'), { exact: true });
    await expect(latitude).toHaveValue('');
    await picker.locator('.leaflet-container').click({ position: { x: 60, y: 200 } });
    await expect(latitude).toHaveValue(/^5\d\.\d{6}$/);
  });
});
