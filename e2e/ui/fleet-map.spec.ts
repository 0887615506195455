import { expect, test, type Page } from '@playwright/test';
import { DEMO_BASE } from '@/db/seed';
import { databaseUrl } from '../api/helpers';
import { authFile } from '../fixtures';
import { reportingTestDrone } from '../support/delivery';

// The live map, readable: drones on one spot are one badge with their count, which a click
// opens as a list of the drones, each with a link to its page.

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

