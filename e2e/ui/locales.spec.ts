import { createFormatter } from 'next-intl';
import postgres from 'postgres';
import { formats } from '@/i18n/formats';
import { databaseUrl, randomIp, register, signInWithPassword, uid } from '../api/helpers';
import { authFile, expect, hydrated, test } from '../fixtures';

// Runs in both locale projects (ru-RU on Moscow time, en-US on New York time): the site
// speaks the browser's language, dates are in the app's zone (Moscow) whatever the browser's,
// and no page logs a console error (the fixture fails the test on any, hydration errors
// such as React #418 included).

test.describe('a customer journey without console errors', { tag: '@locales' }, () => {
  test('home, catalog, ordering on the map, the order page, the orders list, cancelling and the pickup page', async ({
    page,
    t,
    locale,
  }) => {
    // Ten page loads (two of them reloads, to check hydration) on a shared 2-core machine.
    test.setTimeout(150_000);
    const email = `e2e.locale.${uid()}@example.com`;
    await register(page.request, { full_name: 'Locale Customer', email, password: 'locale-password-1' });
    expect((await signInWithPassword(page.request, email, 'locale-password-1')).status()).toBeLessThan(400);

    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('home.title'));
    await hydrated(page);

    await page.getByRole('link', { name: t('home.browse') }).click();
    await expect(page).toHaveURL(/\/catalog$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('catalog.title'));
    await expect(
      page
        .getByRole('list', { name: t('catalog.listLabel') })
        .getByRole('listitem')
        .first(),
    ).toBeVisible();
    await hydrated(page);

    await page.getByRole('link', { name: t('catalog.orderItem', { name: 'Small Package' }) }).click();
    await expect(page.locator('.leaflet-container')).toBeVisible();
    await page.locator('input[type="radio"][name="automat"]:not([disabled])').first().check();
    await page.getByRole('button', { name: t('order.confirm') }).click();
    await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
    const orderId = page.url().split('/').pop()!;
    await expect(page.getByTestId('order-status')).toHaveText(t('orders.status.pending'));
    await expect(page.getByTestId('status-hint')).toHaveText(t('tracking.hint.pending'));
    const timeline = page.getByRole('list', { name: t('tracking.timeline.label') });
    await expect(timeline.getByRole('listitem').first()).toContainText(t('tracking.timeline.placed'));
    await expect(page.getByTestId('live-line')).toContainText(
      t('tracking.live.live', { time: '' }).replace(/\s*$/, ''),
    );
    await hydrated(page);
    // The order page's live stamp and timeline render the same on the server and in this browser.
    await page.reload();
    await hydrated(page);

    await page
      .getByRole('navigation', { name: t('site.header.nav') })
      .getByRole('link', { name: t('site.header.orders') })
      .click();
    await expect(page).toHaveURL(/\/orders$/);
    const item = page
      .getByRole('list', { name: t('orders.listLabel') })
      .getByRole('listitem')
      .first();
    await expect(item).toContainText('Small Package');
    await expect(item).toContainText(t('orders.status.pending'));
    // The time is Moscow's, in the page's language, whatever this browser's zone.
    const api = (await (await page.request.get(`/api/me/orders/${orderId}`)).json()) as {
      order: { created_at: string };
    };
    const moscow = createFormatter({ locale, timeZone: 'Europe/Moscow', formats }).dateTime(
      new Date(api.order.created_at),
      'dateTime',
    );
    await expect(item.locator('time')).toHaveText(moscow);
    await page.reload();
    await hydrated(page);

    // Cancelling, in this language: asked first, then done, and said so in the timeline.
    await item.getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/orders/${orderId}$`));
    await hydrated(page);
    await page.getByRole('button', { name: t('tracking.cancel.button') }).click();
    await expect(page.getByText(t('tracking.cancel.confirm'))).toBeVisible();
    await page.getByRole('button', { name: t('tracking.cancel.yes') }).click();
    await expect(page.getByTestId('order-status')).toHaveText(t('orders.status.cancelled'));
    await expect(timeline).toContainText(t('tracking.timeline.youCancelled'));

    // The pickup page: the code, and no parcel waiting yet.
    await page.goto('/pickup');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('pickup.title'));
    await expect(page.getByRole('img', { name: t('pickup.code.qrLabel') })).toBeVisible();
    await expect(page.getByText(t('pickup.none'))).toBeVisible();
    await hydrated(page);
  });
});

test.describe('admin pages without console errors', { tag: '@locales' }, () => {
  test.use({ storageState: authFile('admin') });

  test('a drone page and the alerts page hydrate without errors', async ({ page }) => {
    await page.goto('/admin/drones');
    await hydrated(page);
    await page.getByRole('table').getByRole('link').first().click();
    await expect(page).toHaveURL(/\/admin\/drones\/[0-9a-f-]{36}$/);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await hydrated(page);

    await page.goto('/admin/alerts');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await hydrated(page);
  });
});

test.describe('the language switch', { tag: '@locales' }, () => {
  test('switches the whole site, is remembered for a year, and is stored on the account', async ({
    page,
    locale,
    context,
  }) => {
    const other = locale === 'ru' ? 'en' : 'ru';
    const otherName = other === 'ru' ? 'Русский' : 'English';
    const email = `e2e.switch.${uid()}@example.com`;
    await page.request.post('/api/auth/register', {
      data: { full_name: 'Switch Customer', email, password: 'switch-password-1' },
      headers: { 'x-forwarded-for': randomIp() },
    });
    expect((await signInWithPassword(page.request, email, 'switch-password-1')).status()).toBeLessThan(400);

    await page.goto('/catalog');
    await hydrated(page);
    const header = page.getByRole('banner');
    await expect(header.getByRole('button', { name: otherName })).toHaveAttribute('aria-pressed', 'false');
    await header.getByRole('button', { name: otherName }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', other);
    await expect(header.getByRole('button', { name: otherName })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(other === 'ru' ? 'Каталог' : 'Catalog');

    const cookie = (await context.cookies()).find((c) => c.name === 'NEXT_LOCALE');
    expect(cookie).toMatchObject({ value: other, sameSite: 'Lax', path: '/' });
    const yearS = 365 * 24 * 3600;
    expect(Math.abs(cookie!.expires - (Date.now() / 1000 + yearS))).toBeLessThan(3600);

    // Remembered: a new page load (and its Accept-Language) keeps the choice.
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', other);

    const sql = postgres(databaseUrl, { max: 1 });
    try {
      const [row] = await sql<{ locale: string }[]>`select locale from users where email = ${email}`;
      expect(row?.locale).toBe(other);
    } finally {
      await sql.end();
    }
  });

  test('the account starts in the language of the browser it registered from', async ({ page, locale }) => {
    const email = `e2e.reglocale.${uid()}@example.com`;
    await page.goto('/register');
    await page.getByLabel(locale === 'ru' ? 'Имя и фамилия' : 'Full name').fill('Register Locale');
    await page.getByLabel(locale === 'ru' ? 'Электронная почта' : 'Email', { exact: true }).fill(email);
    await page.getByLabel(locale === 'ru' ? 'Пароль' : 'Password', { exact: true }).fill('register-locale-1');
    const createAccount = locale === 'ru' ? 'Зарегистрироваться' : 'Create account';
    await page.getByRole('button', { name: createAccount }).click();
    await expect(page).toHaveURL(/\/catalog$/);
    const sql = postgres(databaseUrl, { max: 1 });
    try {
      const [row] = await sql<
        { locale: string; set: boolean }[]
      >`select locale, locale_set_at is not null as set from users where email = ${email}`;
      expect(row).toEqual({ locale, set: true });
    } finally {
      await sql.end();
    }
  });
});

test.describe('the phone header', { tag: '@locales' }, () => {
  test.use({ storageState: authFile('customer'), viewport: { width: 390, height: 844 } });

  test('at 390 px the header is one line with a menu that opens, takes focus and closes with Escape', async ({
    page,
    t,
  }) => {
    await page.goto('/catalog');
    await hydrated(page);
    const header = page.getByRole('banner');
    const box = await header.boundingBox();
    expect(box!.height).toBeLessThanOrEqual(72);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);

    const menu = header.getByRole('button', { name: t('site.header.menu') });
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    const nav = page.locator(`#${(await menu.getAttribute('aria-controls'))!.replaceAll(':', '\\:')}`);
    await expect(nav).toBeHidden();
    await expect(header.getByTestId('notification-bell')).toBeVisible();

    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await expect(nav).toBeVisible();
    await expect(nav).toHaveAttribute('aria-label', t('site.header.nav'));
    // Focus moved into the menu, onto its first link.
    await expect(nav.getByRole('link', { name: t('site.header.catalog') })).toBeFocused();
    await expect(nav.getByRole('link', { name: t('site.header.signOut') })).toBeVisible();
    const panel = await nav.boundingBox();
    expect(panel!.x >= 0 && panel!.x + panel!.width <= 390).toBe(true);

    await page.keyboard.press('Escape');
    await expect(nav).toBeHidden();
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(menu).toBeFocused();

    // A link closes the menu as it navigates.
    await menu.click();
    await nav.getByRole('link', { name: t('site.header.orders') }).click();
    await expect(page).toHaveURL(/\/orders$/);
    await expect(nav).toBeHidden();
  });

  test("the footer offers customers their inbox, not the operators' sign-in or a sign-in", async ({ page, t }) => {
    await page.goto('/');
    const footer = page.getByRole('contentinfo').getByRole('navigation');
    await expect(footer.getByRole('link', { name: t('site.footer.notifications') })).toBeVisible();
    await expect(footer.getByRole('link', { name: t('site.footer.operators') })).toHaveCount(0);
    await expect(footer.getByRole('link', { name: t('site.footer.signIn') })).toHaveCount(0);
  });
});

test.describe('the footer signed out', { tag: '@locales' }, () => {
  test("offers sign-in and the operators' portal", async ({ page, t }) => {
    await page.goto('/');
    const footer = page.getByRole('contentinfo').getByRole('navigation');
    await expect(footer.getByRole('link', { name: t('site.footer.signIn') })).toBeVisible();
    await expect(footer.getByRole('link', { name: t('site.footer.operators') })).toHaveAttribute('href', '/admin');
  });
});

test.describe('forms and error pages', { tag: '@locales' }, () => {
  // The 404 page below is provoked on purpose.
  test.use({ allowedConsoleErrors: [/status of 404 \(Not Found\)/] });

  test('the server’s field errors read in the page’s language', async ({ page, t }) => {
    await page.goto('/register');
    await hydrated(page);
    await page.getByLabel(t('auth.fields.fullName')).fill('A');
    await page.getByLabel(t('auth.fields.email'), { exact: true }).fill(`e2e.badform.${uid()}`);
    await page.getByLabel(t('auth.fields.password'), { exact: true }).fill('short');
    await page.getByRole('button', { name: t('auth.register.submit') }).click();
    // The register action validates on the server (the form sends what was typed).
    await expect(page.getByText(t('validation.fields.full_name.too_small', { minimum: 2 }))).toBeVisible();
    await expect(page.getByText(t('validation.fields.email.invalid_format'))).toBeVisible();
    await expect(page.getByText(t('validation.fields.password.too_small', { minimum: 8 }))).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: t('validation.form.correctFields') })).toBeVisible();
    await expect(page).toHaveURL(/\/register$/);
  });

  test('a missing page says so in the page’s language', async ({ page, t }) => {
    const res = await page.goto(`/no-such-page-${uid()}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('errors.notFound.title'));
    await expect(page.getByRole('link', { name: t('errors.notFound.catalog') })).toBeVisible();
  });
});
