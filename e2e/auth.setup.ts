import { expect, test as setup } from '@playwright/test';
import { ADMIN, CUSTOMER, authFile } from './fixtures';

// Signs in once per role through the real form and keeps the session for the ui project.
for (const [role, account] of [
  ['admin', ADMIN],
  ['customer', CUSTOMER],
] as const) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await page.goto('/signin');
    await page.getByLabel('Email', { exact: true }).fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('link', { name: 'Sign out' })).toBeVisible();
    await page.context().storageState({ path: authFile(role) });
  });
}
