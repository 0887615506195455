import { authFile, expect, hydrated, test } from '../fixtures';

test.describe('signed out', () => {
  test('the landing page explains SkyPost and links to the catalog and sign-in', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your order, flown to a locker near you.');
    await expect(page.getByRole('heading', { name: 'How it works' })).toBeVisible();
    await expect(page.getByText('Red Square, 1')).toBeVisible();
    await expect(page.getByText('Temporarily closed')).toBeVisible(); // the seeded non-working locker
    await page.getByRole('link', { name: 'Browse the catalog' }).click();
    await expect(page).toHaveURL(/\/catalog$/);
    await expect(page.getByRole('heading', { name: 'Catalog' })).toBeVisible();
  });

  test('/admin redirects to sign-in and comes back after signing in as admin', async ({ page }) => {
    await page.goto('/admin');
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin/);
    await expect(page.getByText('The operator portal needs an administrator account.')).toBeVisible();
    await page.getByLabel('Email', { exact: true }).fill('admin@skypost.com');
    await page.getByLabel('Password', { exact: true }).fill(process.env.SEED_ADMIN_PASSWORD ?? 'admin-skypost-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/admin$/);
    await expect(page.getByRole('heading', { name: 'Live fleet' })).toBeVisible();
  });

  test.describe(() => {
    // The wrong password's 401 from the sign-in endpoint is the point of the test.
    test.use({ allowedConsoleErrors: [/status of 401 \(Unauthorized\)/] });
    test('a wrong password shows an error and a missing field an inline message @locales', async ({ page, t }) => {
      await page.goto('/signin');
      await hydrated(page);
      const submit = page.getByRole('main').getByRole('button', { name: t('auth.form.submit'), exact: true });
      const email = page.getByLabel(t('auth.fields.email'), { exact: true });
      await submit.click();
      // Checked in the browser with the server's schema, said in the page's language.
      await expect(page.getByText(t('validation.fields.email.too_small'))).toBeVisible();
      await expect(email).toHaveAttribute('aria-invalid', 'true');
      await email.fill('user@example.com');
      await page.getByLabel(t('auth.fields.password'), { exact: true }).fill('not-the-password');
      await submit.click();
      await expect(page.getByRole('alert').filter({ hasText: t('auth.form.failed') })).toContainText(
        t('auth.form.invalid'),
      );
      await expect(page).toHaveURL(/\/signin/);
    });
  });

  test('catalog search filters by name and shows low stock', async ({ page }) => {
    await page.goto('/catalog');
    const goods = page.getByRole('list', { name: 'Goods' }).getByRole('listitem');
    // Other specs add goods while this one runs: assert on the seeded ones, not on a total.
    await expect(goods.filter({ hasText: 'Limited Edition Sneakers' })).toContainText('3 left');
    const all = await goods.count();
    expect(all).toBeGreaterThanOrEqual(10);
    await page.getByLabel('Search goods by name').fill('box');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/q=box/);
    await expect(goods.filter({ hasText: 'Medium Box' })).toHaveCount(1);
    await expect(goods.filter({ hasText: 'Limited Edition Sneakers' })).toHaveCount(0);
    // Every good left matches the search.
    for (const name of await goods.getByRole('heading').allTextContents()) expect(name.toLowerCase()).toContain('box');
    expect(await goods.count()).toBeLessThan(all);
  });

  test('works on a 375 px wide phone without horizontal scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const path of ['/', '/catalog', '/signin', '/register']) {
      await page.goto(path);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
});

test.describe('as a customer', () => {
  test.use({ storageState: authFile('customer') });

  test('customer pages fit a 375 px wide phone', async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto('/catalog');
    await page.getByRole('link', { name: 'Order Small Package' }).click();
    await expect(page.locator('.leaflet-container')).toBeVisible();
    const orderPath = new URL(page.url()).pathname;
    for (const path of ['/catalog', orderPath, '/orders', '/pickup', '/account', '/notifications']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    // The bell's panel stays on screen too.
    await page.getByTestId('notification-bell').click();
    const box = await page.getByRole('region', { name: 'Notifications' }).boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 375).toBe(true);
  });

  test.describe(() => {
    // The page's own 403 status is what the test checks.
    test.use({ allowedConsoleErrors: [/status of 403 \(Forbidden\)/] });
    test('/admin answers 403 with a way out', async ({ page }) => {
      const res = await page.goto('/admin');
      expect(res?.status()).toBe(403);
      await expect(page.getByRole('heading', { name: 'This area is for SkyPost operators' })).toBeVisible();
      await expect(page.getByText('Operations overview')).toHaveCount(0);
    });
  });
});

test.describe('as an admin', () => {
  test.use({ storageState: authFile('admin') });

  test('the overview shows the seeded fleet and lockers', async ({ page }) => {
    await page.goto('/admin/overview');
    // The 8 seeded drones (other tests may add drones of their own in parallel).
    const drones = page.getByRole('table', { name: 'Drones' });
    for (let i = 100; i <= 107; i++)
      await expect(drones.getByRole('row').filter({ hasText: `192.168.1.${i}` })).toHaveCount(1);
    // The 7 seeded lockers, Paveletskaya closed (the admin tests may add a locker in parallel).
    const lockers = page.getByRole('table', { name: 'Parcel lockers' });
    for (const address of [
      'Red Square, 1',
      'Tverskaya St., 7',
      'Arbat St., 24',
      'Krymsky Val, 9 (Gorky Park)',
      'Chistoprudny Blvd., 12',
      'Presnenskaya Emb., 2 (Moscow City)',
    ]) {
      const row = lockers.getByRole('row').filter({ hasText: address });
      await expect(row).toContainText(/open/i);
      await expect(row).not.toContainText(/closed/i);
      await expect(row.getByTestId('pickup-cells')).toHaveText(/^\d+ free of \d+/);
    }
    await expect(lockers.getByRole('row').filter({ hasText: 'Paveletskaya Sq., 1' })).toContainText(/closed/i);
    await expect(page.getByRole('heading', { name: /Parcel lockers/ })).toContainText(/\d+ of \d+ open/);
    await expect(page.getByText(/Live · updated/)).toBeVisible();
  });

  test('sign out ends the session', async ({ page }) => {
    await page.goto('/signout');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/$/);
    await page.goto('/admin');
    await expect(page).toHaveURL(/\/signin/);
  });
});
