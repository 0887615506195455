import path from 'node:path';
import { test as base, expect, type BrowserContext, type ConsoleMessage, type Page } from '@playwright/test';
import { createTranslator } from 'next-intl';
import { loadEnv } from '@/env';
import { isLocale, type Locale } from '@/i18n/config';
import { readMessages } from '@/i18n/messages';

export { expect };

export const ADMIN = { email: 'admin@skypost.com', password: process.env.SEED_ADMIN_PASSWORD ?? 'admin-skypost-1' };
export const CUSTOMER = {
  email: 'user@example.com',
  password: process.env.SEED_CUSTOMER_PASSWORD ?? 'customer-skypost-1',
};

export const authFile = (role: 'admin' | 'customer') => path.join(import.meta.dirname, '.auth', `${role}.json`);

/**
 * Map tiles cannot load on test machines (no internet): each one logs "Failed to load
 * resource". Those, and only those, are expected: the resource's URL must fit the configured
 * tile template ({s} a subdomain label, {z}/{x}/{y} numbers, {r} an optional "@2x").
 */
export function tileUrlPattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const source = escaped
    .replaceAll('{s}', '[a-z0-9-]+')
    .replaceAll('{r}', '(@2x)?')
    .replace(/\{[xyz]\}/g, '-?\\d+')
    .replace(/[{}]/g, '\\$&');
  // A relative template ("/tiles/{z}/{x}/{y}.png") is served by this site: any origin prefix.
  return new RegExp(`^${template.startsWith('/') ? 'https?://[^/]+' : ''}${source}(\\?.*)?$`);
}

const TILE_TEMPLATE = loadEnv({ MAP_TILE_URL: process.env.MAP_TILE_URL }).MAP_TILE_URL;
const TILE_URL = tileUrlPattern(TILE_TEMPLATE);

/** One tile's URL from the configured template, as Leaflet would ask for it. */
export function tileUrl(base: string, { z, x, y }: { z: number; x: number; y: number }): string {
  const url = TILE_TEMPLATE.replaceAll('{s}', 'a')
    .replaceAll('{z}', String(z))
    .replaceAll('{x}', String(x))
    .replaceAll('{y}', String(y))
    .replaceAll('{r}', '');
  return new URL(url, base).toString();
}

export function isTileLoadFailure(msg: Pick<ConsoleMessage, 'type' | 'text' | 'location'>): boolean {
  return (
    msg.type() === 'error' && msg.text().startsWith('Failed to load resource') && TILE_URL.test(msg.location().url)
  );
}

/**
 * Collects the browser errors of a context: console errors (React's hydration errors such as
 * #418 among them) and uncaught exceptions, except tile failures and what the test allows.
 */
export function watchBrowserErrors(context: BrowserContext, allowed: RegExp[] = []) {
  const errors: string[] = [];
  const onConsole = (msg: ConsoleMessage) => {
    if (msg.type() !== 'error' || isTileLoadFailure(msg)) return;
    const text = msg.text();
    if (allowed.some((re) => re.test(text))) return;
    errors.push(`console.error at ${msg.location().url || msg.page()?.url() || 'unknown page'}: ${text}`);
  };
  const onWebError = (e: { error(): Error }) => {
    const text = e.error().message;
    if (allowed.some((re) => re.test(text))) return;
    errors.push(`uncaught exception: ${e.error().stack ?? text}`);
  };
  context.on('console', onConsole);
  context.on('weberror', onWebError);
  return {
    errors: () => [...errors],
    stop() {
      context.off('console', onConsole);
      context.off('weberror', onWebError);
    },
  };
}

export type Fixtures = {
  /**
   * Console errors this test provokes on purpose (a 403 page it opens, say), as narrow
   * patterns of the message text: `test.use({ allowedConsoleErrors: [/status of 403/] })`.
   */
  allowedConsoleErrors: RegExp[];
  /** Fails the test on any browser console error or uncaught exception. Automatic. */
  browserErrors: void;
  /** The language the site answers this project's browser in (its Accept-Language). */
  locale: Locale;
  /** The site's messages in that language: `t('site.header.catalog')`. */
  t: ReturnType<typeof createTranslator>;
};

export const test = base.extend<Fixtures>({
  allowedConsoleErrors: [[], { option: true }],
  browserErrors: [
    async ({ context, allowedConsoleErrors }, use) => {
      const watch = watchBrowserErrors(context, allowedConsoleErrors);
      await use();
      watch.stop();
      expect(watch.errors(), 'browser console errors and uncaught exceptions').toEqual([]);
    },
    { auto: true },
  ],
  locale: async ({}, use, testInfo) => {
    const lang = testInfo.project.use.locale?.slice(0, 2);
    await use(isLocale(lang) ? lang : 'en');
  },
  t: async ({ locale }, use) => {
    await use(createTranslator({ locale, messages: readMessages(locale), timeZone: 'Europe/Moscow' }));
  },
});

/**
 * Waits until React has hydrated the page (its fiber is on the header): hydration errors such
 * as #418 are logged by then, so the browser-error guard sees them before the test goes on.
 */
export async function hydrated(page: Page, selector = 'header') {
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    return Boolean(el && Object.keys(el).some((k) => k.startsWith('__reactFiber')));
  }, selector);
}
