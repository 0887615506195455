import { env } from '@/env';
import type { SeedOptions } from '@/db/seed';

/** Demo device keys are seeded unless told otherwise, and never by default in production. */
export function seedOptions(): SeedOptions {
  const e = env();
  const demoKeys = e.SEED_DEMO_DEVICE_KEYS ?? !e.isProduction;
  return {
    adminPassword: e.SEED_ADMIN_PASSWORD,
    customerPassword: e.SEED_CUSTOMER_PASSWORD,
    demoKeySeed: demoKeys ? e.DEMO_DEVICE_KEY_SEED : null,
  };
}
