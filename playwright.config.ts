import { defineConfig, devices } from '@playwright/test';

// E2E against the real production server started by the real launcher on its own embedded
// database. `npm test` picks free ports and a fresh data folder and passes them in.
// The servers run with NODE_ENV=production, which never seeds the public demo credentials:
// the tests use credentials of their own, set here so that the servers (passed in their env
// below) and the test workers (which load this file too) agree.
process.env.SEED_ADMIN_PASSWORD ??= 'e2e-admin-password-1';
process.env.SEED_CUSTOMER_PASSWORD ??= 'e2e-customer-password-1';
process.env.DEMO_DEVICE_KEY_SEED ??= 'e2e-device-key-seed';

const port = Number(process.env.E2E_PORT ?? 3210);
const pgPort = Number(process.env.E2E_PG_PORT ?? 54339);
const dataDir = process.env.E2E_PG_DATA ?? '.data/e2e-postgres';
const baseURL = `http://127.0.0.1:${port}`;
// A second server for dispatch tests: an order worker running, its own embedded database.
const dispatchPort = Number(process.env.E2E_DISPATCH_PORT ?? port + 1);
const dispatchPgPort = Number(process.env.E2E_DISPATCH_PG_PORT ?? pgPort + 1);
const dispatchDataDir = process.env.E2E_DISPATCH_PG_DATA ?? `${dataDir}-dispatch`;
const dispatchBaseURL = `http://127.0.0.1:${dispatchPort}`;

const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  },
};

export default defineConfig({
  testDir: 'e2e',
  // Overridable so that several local runs at once do not delete each other's artifacts.
  outputDir: process.env.E2E_OUTPUT_DIR ?? '.test-results/playwright-artifacts',
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // A test is a whole user journey (many pages and server actions) on a 2-core machine; each
  // step still waits on readiness (expect: 10 s), never on a sleep.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: '.test-results/playwright.json' }]],
  use: { baseURL, trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/, use: chromium },
    { name: 'api', testMatch: /api\/.*\.spec\.ts/ },
    // The whole UI suite runs in an American browser in New York: neither its language nor its
    // zone is the app's (Moscow), so any date rendered in the browser's zone shows up as a
    // hydration error, which the fixture (e2e/fixtures.ts) fails on.
    {
      name: 'en-US',
      testMatch: /ui\/.*\.spec\.ts/,
      dependencies: ['setup'],
      use: { ...chromium, locale: 'en-US', timezoneId: 'America/New_York' },
    },
    // The tests tagged @locales run again in a Russian browser on Moscow time: the site answers
    // in Russian. Only the tagged set, so the suite's time does not double.
    {
      name: 'ru-RU',
      testMatch: /ui\/.*\.spec\.ts/,
      grep: /@locales/,
      dependencies: ['setup'],
      use: { ...chromium, locale: 'ru-RU', timezoneId: 'Europe/Moscow' },
    },
    {
      name: 'dispatch',
      testMatch: /dispatch\/.*\.spec\.ts/,
      fullyParallel: false,
      use: { ...chromium, baseURL: dispatchBaseURL },
    },
    // After the dispatch tests (same server): the simulator flies drones that would disturb them.
    { name: 'fleet', testMatch: /fleet\/.*\.spec\.ts/, dependencies: ['dispatch'], use: { baseURL: dispatchBaseURL } },
    // Hostile input and the authorization matrix: after the api and ui tests, alone on that
    // server, because they compare checksums of the whole database.
    { name: 'fuzz', testMatch: /\/e2e\/fuzz\/[^/]+\.spec\.ts$/, dependencies: ['api', 'en-US', 'ru-RU'], workers: 1 },
  ],
  webServer: [
    {
      command: 'node --import tsx scripts/start.ts',
      url: `${baseURL}/api/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
      env: {
        PORT: String(port),
        EMBEDDED_PG_PORT: String(pgPort),
        EMBEDDED_PG_DATA: dataDir,
        DATABASE_URL: '',
        NEXTAUTH_URL: baseURL,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        // Production refuses to start without an SMS gateway unless codes may go to the log.
        SMS_LOG_CODES: 'true',
        SKIP_BUILD: 'true',
        // Production mode seeds no demo device keys unless asked; the device tests need them.
        SEED_DEMO_DEVICE_KEYS: 'true',
        SEED_ADMIN_PASSWORD: process.env.SEED_ADMIN_PASSWORD,
        SEED_CUSTOMER_PASSWORD: process.env.SEED_CUSTOMER_PASSWORD,
        DEMO_DEVICE_KEY_SEED: process.env.DEMO_DEVICE_KEY_SEED,
        // The test client acts as one trusted proxy: tests choose their client address with
        // X-Forwarded-For, so per-address limits do not leak between tests.
        TRUSTED_PROXY_HOPS: '1',
        // Deterministic customer tests: no worker assigns orders and no simulated fleet flies.
        WORKERS: '0',
        SIMULATOR: 'off',
      },
    },
    {
      command: 'node --import tsx scripts/start.ts',
      url: `${dispatchBaseURL}/api/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
      env: {
        PORT: String(dispatchPort),
        EMBEDDED_PG_PORT: String(dispatchPgPort),
        EMBEDDED_PG_DATA: dispatchDataDir,
        DATABASE_URL: '',
        NEXTAUTH_URL: dispatchBaseURL,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        // Production refuses to start without an SMS gateway unless codes may go to the log.
        SMS_LOG_CODES: 'true',
        SKIP_BUILD: 'true',
        SEED_DEMO_DEVICE_KEYS: 'true',
        SEED_ADMIN_PASSWORD: process.env.SEED_ADMIN_PASSWORD,
        SEED_CUSTOMER_PASSWORD: process.env.SEED_CUSTOMER_PASSWORD,
        DEMO_DEVICE_KEY_SEED: process.env.DEMO_DEVICE_KEY_SEED,
        TRUSTED_PROXY_HOPS: '1',
        WORKERS: '1',
        WORKER_SWEEP_MS: '500',
        SIMULATOR: process.env.E2E_DISPATCH_SIMULATOR ?? 'off',
      },
    },
  ],
});
