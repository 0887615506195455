import type { Browser, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { randomIp, uid } from '../api/helpers';

// Sign-in security in Chromium: the post-sign-in redirect stays on the site, the sign-in form
// reports the failure limit, and "Sign out everywhere" ends every session of the account.

async function newAccount(page: Page) {
  const email = `e2e.sec.${uid()}@example.com`;
  const password = `pw-${uid()}-long`;
  const res = await page.request.post('/api/auth/register', {
    data: { full_name: 'Security Person', email, password },
    headers: { 'x-forwarded-for': randomIp() },
  });
  expect(res.status()).toBe(201);
  return { email, password };
}

async function signInThroughForm(page: Page, account: { email: string; password: string }, path = '/signin') {
  await page.goto(path);
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function freshPage(browser: Browser) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  return { context, page: await context.newPage() };
}

test('signing in with callbackUrl=/.//evil.example lands on the site, not off it', async ({ browser, baseURL }) => {
  const { context, page } = await freshPage(browser);
  const account = await newAccount(page);
  await signInThroughForm(page, account, '/signin?callbackUrl=%2F.%2F%2Fevil.example');
  await expect(page.getByRole('link', { name: 'Sign out' })).toBeVisible();
  const url = new URL(page.url());
  expect(url.origin).toBe(new URL(baseURL!).origin);
  expect(url.pathname).toBe('/');
  await context.close();
});

test('after 10 wrong passwords the sign-in form says "Too many attempts; try again in N s"', async ({ browser }) => {
  const { context, page } = await freshPage(browser);
  const account = await newAccount(page);
  const { csrfToken } = (await (await page.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  for (let i = 0; i < 10; i++) {
    const res = await page.request.post('/api/auth/callback/password', {
      form: { email: account.email, password: `wrong-${i}-password`, csrfToken },
      headers: { 'x-forwarded-for': randomIp() },
      maxRedirects: 0,
    });
    expect(res.headers().location).toContain('error=CredentialsSignin');
  }
  await signInThroughForm(page, account);
  await expect(page.getByRole('alert').filter({ hasText: 'Sign-in failed' })).toContainText(
    /Too many attempts; try again in \d+ s/,
  );
  await expect(page.getByRole('link', { name: 'Sign out' })).toHaveCount(0);
  await context.close();
});

test('"Sign out everywhere" signs out this browser and another one; their old cookies get 401', async ({ browser }) => {
  test.setTimeout(180_000);
  const a = await freshPage(browser);
  const b = await freshPage(browser);
  const account = await newAccount(a.page);
  for (const { page } of [a, b]) {
    await signInThroughForm(page, account);
    await expect(page.getByRole('link', { name: 'Sign out' })).toBeVisible();
  }
  expect((await b.page.request.get('/api/me/orders')).status()).toBe(200);
  const oldCookies = await a.context.cookies();

  await a.page.goto('/account');
  await a.page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(a.page).toHaveURL(/\/signin/);

  // The other browser: its session is refused on pages (sent to sign-in) and on the API (401).
  await b.page.goto('/orders');
  await expect(b.page).toHaveURL(/\/signin\?callbackUrl=%2Forders/);
  const api = await b.page.request.get('/api/me/orders');
  expect(api.status()).toBe(401);
  expect(((await api.json()) as { error: { code: string } }).error.code).toBe('unauthorized');

  // A copy of this browser's cookie from before the sign-out does not work either.
  const copy = await freshPage(browser);
  await copy.context.addCookies(oldCookies);
  expect((await copy.page.request.get('/api/me/orders')).status()).toBe(401);

  // Signing in again works.
  await signInThroughForm(b.page, account);
  await expect(b.page.getByRole('link', { name: 'Sign out' })).toBeVisible();
  for (const x of [a, b, copy]) await x.context.close();
});

test('changing the password signs out other browsers and keeps this one signed in', async ({ browser }) => {
  test.setTimeout(180_000);
  const a = await freshPage(browser);
  const b = await freshPage(browser);
  const account = await newAccount(a.page);
  for (const { page } of [a, b]) {
    await signInThroughForm(page, account);
    await expect(page.getByRole('link', { name: 'Sign out' })).toBeVisible();
  }
  await a.page.goto('/account');
  await a.page.getByLabel('Current password').fill('not-the-password');
  await a.page.getByLabel('New password').fill('brand-new-password-1');
  await a.page.getByRole('button', { name: 'Change password' }).click();
  await expect(a.page.getByText('The current password is not correct').first()).toBeVisible();

  await a.page.getByLabel('Current password').fill(account.password);
  await a.page.getByRole('button', { name: 'Change password' }).click();
  await expect(a.page.getByText('Password changed. Every other device has been signed out.')).toBeVisible();
  await expect.poll(async () => (await a.page.request.get('/api/me/orders')).status()).toBe(200);
  expect((await b.page.request.get('/api/me/orders')).status()).toBe(401);
  await signInThroughForm(b.page, { email: account.email, password: 'brand-new-password-1' });
  await expect(b.page.getByRole('link', { name: 'Sign out' })).toBeVisible();
  for (const x of [a, b]) await x.context.close();
});
