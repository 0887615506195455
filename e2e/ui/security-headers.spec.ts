import type { Page, Response } from '@playwright/test';
import postgres from 'postgres';
import { loadEnv } from '@/env';
import { deriveDemoDeviceKey } from '@/lib/device-keys/keys';
import { API_CONTENT_SECURITY_POLICY, pageContentSecurityPolicy, permissionsPolicy } from '@/lib/security/headers';
import { databaseUrl, register, signInWithPassword, uid } from '../api/helpers';
import { ADMIN, authFile, expect, test } from '../fixtures';

// The security headers as Chromium receives them, on the real pages: every page is used the
// way a person would (sign-in, ordering on the map, the live map, charts, the kiosk), and
// any Content-Security-Policy violation fails the test, whether the browser reports it as
// a securitypolicyviolation event or as a console error.

const RED_SQUARE = 101;
const automatKey = deriveDemoDeviceKey(
  process.env.DEMO_DEVICE_KEY_SEED ?? 'skypost-dev-seed',
  'automat',
  String(RED_SQUARE),
);
// The test server runs with the default tile URL (playwright.config.ts sets none).
const tileUrl = loadEnv({}).MAP_TILE_URL;

// Pages render per request and the map loads after hydration: allow for a busy machine.
const slow = expect.configure({ timeout: 30_000 });

type Violation = { directive: string; blocked: string; sample: string };

/** Collects CSP violations of every document the page loads. */
async function watchCsp(page: Page) {
  const console: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) console.push(m.text());
  });
  // Init scripts are injected by the browser itself, so the policy does not apply to them.
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: Violation[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
    });
  });
  return {
    async violations(): Promise<{ events: Violation[]; console: string[] }> {
      const events = await page.evaluate(() => (window as unknown as { __csp: Violation[] }).__csp);
      return { events, console: [...console] };
    },
    async expectNone() {
      // Violation events are dispatched asynchronously; give late ones a moment.
      await page.waitForTimeout(300);
      expect(await this.violations()).toEqual({ events: [], console: [] });
    },
  };
}

function nonceOf(res: Response | null): string {
  const csp = res?.headers()['content-security-policy'] ?? '';
  const m = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp);
  expect(m, `a nonce in ${csp}`).not.toBeNull();
  return m![1]!;
}

/** The exact headers of a page response. */
async function expectPageHeaders(res: Response | null, path: string) {
  expect(res?.status()).toBe(200);
  const h = res!.headers();
  const nonce = nonceOf(res);
  expect(h['content-security-policy']).toBe(pageContentSecurityPolicy({ nonce, tileUrl, development: false }));
  // Spelled out, independent of the builder: the parts that matter most.
  expect(h['content-security-policy']).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'; `);
  expect(h['content-security-policy']).toContain("connect-src 'self'; ");
  expect(h['content-security-policy']).toMatch(/img-src 'self' data: blob: https:\/\/\*\.[a-z.]+;/);
  expect(h['content-security-policy']).toContain(
    "object-src 'none'; frame-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  );
  expect(h['content-security-policy']).not.toContain('unsafe-eval');
  expect(h['permissions-policy']).toBe(permissionsPolicy(path));
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
  // The test server's NEXTAUTH_URL is http: no HSTS.
  expect(h['strict-transport-security']).toBeUndefined();
  return nonce;
}

async function seedIds() {
  const sql = postgres(databaseUrl, { max: 1 });
  try {
    const [a] = await sql<{ id: string }[]>`select id from parcel_automats where aruco_id = ${RED_SQUARE}`;
    const [g] = await sql<{ id: string }[]>`select id from goods where name = 'Small Package'`;
    return { automatId: a!.id, goodId: g!.id };
  } finally {
    await sql.end();
  }
}

test.describe('security headers and CSP', () => {
  // Several pages per test, each rendered per request, on a shared 2-core machine.
  test.describe.configure({ timeout: 120_000 });

  test.describe(() => {
    // The blocked load is the point: the browser reports it as a console error.
    test.use({ allowedConsoleErrors: [/violates the following Content Security Policy directive: "img-src/] });
    test('the violation watcher sees a blocked load (so the other tests can fail)', async ({ page }) => {
      const csp = await watchCsp(page);
      await page.goto('/signin');
      await page.evaluate(() => {
        const img = new Image();
        img.src = 'http://127.0.0.2:9/not-allowed.png';
        document.body.append(img);
      });
      await expect.poll(async () => (await csp.violations()).events.map((v) => v.directive)).toContain('img-src');
      expect((await csp.violations()).console.join('\n')).toMatch(/Content Security Policy/);
    });
  });

  test('a fresh nonce per request, and Next.js puts it on every script it renders', async ({ request }) => {
    const a = await request.get('/signin');
    const b = await request.get('/signin');
    const nonceA = /'nonce-([^']+)'/.exec(a.headers()['content-security-policy'] ?? '')?.[1];
    const nonceB = /'nonce-([^']+)'/.exec(b.headers()['content-security-policy'] ?? '')?.[1];
    expect(nonceA).toBeTruthy();
    expect(nonceA).not.toBe(nonceB);
    const html = await a.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(1);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonceA}"`);
  });

  test('API routes get the minimal policy', async ({ request }) => {
    const res = await request.get('/api/health');
    expect(res.headers()['content-security-policy']).toBe(API_CONTENT_SECURITY_POLICY);
    expect(res.headers()['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    const missing = await request.get('/api/no-such-route');
    expect(missing.headers()['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  test.describe(() => {
    // The unknown page answers 404 on purpose.
    test.use({ allowedConsoleErrors: [/status of 404 \(Not Found\)/] });
    test('signed out: home, catalog, registration, sign-in and an unknown page', async ({ page }) => {
      const csp = await watchCsp(page);
      for (const path of ['/', '/catalog', '/register', '/no-such-page']) {
        const res = await page.goto(path);
        if (path === '/no-such-page') expect(res?.status()).toBe(404);
        else await expectPageHeaders(res, path);
      }
      await expectPageHeaders(await page.goto('/signin'), '/signin');
      // Next-auth's real sign-in (CSRF fetch, credentials POST, redirect) under the policy.
      await page.getByLabel('Email', { exact: true }).fill(ADMIN.email);
      await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await slow(page.getByRole('link', { name: 'Sign out' })).toBeVisible();
      await csp.expectNone();
    });
  });

  test('a customer orders on the map (a server action) and opens the order page', async ({ page }) => {
    const { automatId, goodId } = await seedIds();
    const email = `e2e.csp.${uid()}@example.com`;
    await register(page.request, { full_name: 'CSP Customer', email, password: 'csp-password-1' });
    await signInWithPassword(page.request, email, 'csp-password-1');
    const csp = await watchCsp(page);

    await expectPageHeaders(await page.goto(`/order/${goodId}`), `/order/${goodId}`);
    await slow(page.locator('.leaflet-container')).toBeVisible();
    await slow(page.locator('path.automat-marker').first()).toBeAttached();
    // The "near me" locker search needs geolocation; the camera stays off.
    expect(
      await page.evaluate(() =>
        (document as unknown as { featurePolicy: { allowsFeature(f: string): boolean } }).featurePolicy.allowsFeature(
          'geolocation',
        ),
      ),
    ).toBe(true);
    expect(
      await page.evaluate(() =>
        (document as unknown as { featurePolicy: { allowsFeature(f: string): boolean } }).featurePolicy.allowsFeature(
          'camera',
        ),
      ),
    ).toBe(false);
    await page.locator(`input[value="${automatId}"]`).first().check({ force: true });
    await page.getByRole('button', { name: 'Confirm order' }).click();
    await slow(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
    await slow(page.getByTestId('order-status')).toHaveText('Waiting for a drone');

    const orderPath = new URL(page.url()).pathname;
    await expectPageHeaders(await page.goto(orderPath), orderPath);
    await slow(page.getByTestId('order-status')).toHaveText('Waiting for a drone');
    await expectPageHeaders(await page.goto('/pickup'), '/pickup');
    await csp.expectNone();
  });

  test.describe('as the admin', () => {
    test.use({ storageState: authFile('admin') });

    test('the live map, the analytics charts and the goods list', async ({ page }) => {
      const csp = await watchCsp(page);
      await expectPageHeaders(await page.goto('/admin'), '/admin');
      await slow(page.locator('.leaflet-container')).toBeVisible();
      await slow(page.locator('.leaflet-marker-pane [data-automat]').first()).toBeAttached();
      await slow(page.locator('.leaflet-overlay-pane canvas')).toHaveCount(1);
      await expectPageHeaders(await page.goto('/admin/analytics'), '/admin/analytics');
      await slow(page.locator('svg.recharts-surface').first()).toBeVisible();
      await expectPageHeaders(await page.goto('/admin/goods'), '/admin/goods');
      await slow(page.getByRole('heading', { level: 1 })).toBeVisible();
      await csp.expectNone();
    });
  });

  test.describe(() => {
    // An unpaired kiosk's polling is refused (401) until it pairs.
    test.use({ allowedConsoleErrors: [/status of 401 \(Unauthorized\)/] });
    test('the kiosk pairs and starts its camera under its own permissions policy', async ({ page }) => {
      const { automatId } = await seedIds();
      const csp = await watchCsp(page);
      const path = `/kiosk/${automatId}`;
      await expectPageHeaders(await page.goto(path), path);
      expect((await page.request.head(path)).headers()['permissions-policy']).toContain('camera=(self)');
      const allows = (f: string) =>
        page.evaluate(
          (feature) =>
            (
              document as unknown as { featurePolicy: { allowsFeature(x: string): boolean } }
            ).featurePolicy.allowsFeature(feature),
          f,
        );
      expect(await allows('camera')).toBe(true);
      expect(await allows('microphone')).toBe(false);
      expect(await allows('geolocation')).toBe(false);
      await page.getByLabel('Device key').fill(automatKey);
      await page.getByLabel('New staff PIN').fill('480317');
      await page.getByLabel('Repeat the staff PIN').fill('480317');
      await page.getByRole('button', { name: 'Pair' }).click();
      await slow(page.getByRole('heading', { name: 'Show your pickup code' })).toBeVisible();
      await slow(page.getByLabel('Pickup PIN', { exact: true })).toBeVisible();
      await csp.expectNone();
    });
  });
});
