import type { APIRequestContext } from '@playwright/test';
import { expect, test } from '../fixtures';

// The customer site installs to a phone's home screen: every page links the web manifest and
// the icons, the manifest asks for a standalone window in the brand colour, and every icon it
// names is a real PNG of the size it claims.

type Manifest = {
  name: string;
  short_name: string;
  start_url: string;
  display: string;
  theme_color: string;
  background_color: string;
  icons: { src: string; sizes: string; type: string; purpose?: string }[];
};

/** Width and height from a PNG's IHDR chunk; throws unless the bytes are a PNG. */
function pngSize(body: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!body.subarray(0, 8).equals(signature) || body.toString('latin1', 12, 16) !== 'IHDR')
    throw new Error('not a PNG');
  return { width: body.readUInt32BE(16), height: body.readUInt32BE(20) };
}

async function fetchOk(request: APIRequestContext, url: string) {
  const res = await request.get(url);
  expect(res.status(), url).toBe(200);
  return res;
}

test('every page links the manifest, the favicon and the touch icon', async ({ page }) => {
  for (const path of ['/', '/catalog', '/signin']) {
    await page.goto(path);
    const head = page.locator('head');
    await expect(head.locator('link[rel="manifest"]'), path).toHaveAttribute('href', /\/manifest\.webmanifest/);
    await expect(head.locator('link[rel="apple-touch-icon"]'), path).toHaveAttribute('href', /apple-icon/);
    await expect(head.locator('link[rel="icon"]').first(), path).toHaveAttribute('href', /favicon\.ico|icon/);
    await expect(head.locator('meta[name="theme-color"]'), path).toHaveAttribute('content', '#0b5294');
  }
});

test('the manifest asks for a standalone app and names icons that exist at their sizes', async ({ request }) => {
  const res = await fetchOk(request, '/manifest.webmanifest');
  expect(res.headers()['content-type']).toMatch(/application\/manifest\+json/);
  const m = (await res.json()) as Manifest;
  expect(m.short_name).toBe('SkyPost');
  expect(m.start_url).toBe('/');
  expect(m.display).toBe('standalone');
  expect(m.theme_color).toBe('#0b5294');
  expect(m.background_color).toMatch(/^#[0-9a-f]{6}$/i);
  // Installability needs a 192 and a 512 icon; Android's adaptive icons need a maskable one.
  const sizes = new Set(m.icons.map((i) => i.sizes));
  expect(sizes).toContain('192x192');
  expect(sizes).toContain('512x512');
  expect(m.icons.some((i) => i.purpose === 'maskable')).toBe(true);
  for (const icon of m.icons) {
    const img = await fetchOk(request, icon.src);
    expect(img.headers()['content-type'], icon.src).toBe('image/png');
    const [w, h] = icon.sizes.split('x').map(Number);
    expect(pngSize(await img.body()), icon.src).toEqual({ width: w, height: h });
  }
});

test('the favicon and the touch icon are served as images', async ({ request, page }) => {
  const ico = await fetchOk(request, '/favicon.ico');
  expect(ico.headers()['content-type']).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  const body = await ico.body();
  // An icon directory (reserved 0, type 1) with at least one image.
  expect([body.readUInt16LE(0), body.readUInt16LE(2)]).toEqual([0, 1]);
  expect(body.readUInt16LE(4)).toBeGreaterThanOrEqual(1);

  await page.goto('/');
  const href = await page.locator('head link[rel="apple-touch-icon"]').getAttribute('href');
  const touch = await fetchOk(request, href ?? '');
  expect(pngSize(await touch.body())).toEqual({ width: 180, height: 180 });
});
