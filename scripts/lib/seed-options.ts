import { DEMO_CREDENTIALS, env } from '@/env';
import type { SeedOptions } from '@/scripts/lib/seed';

/**
 * What the seed creates. Outside production: the demo (admin, customer, device keys derived
 * from DEMO_DEVICE_KEY_SEED). In production no demo credential is ever seeded: the first admin
 * is created only from an explicit SEED_ADMIN_PASSWORD that is not the demo one, the demo
 * customer only from an explicit non-demo SEED_CUSTOMER_PASSWORD, and device keys only with
 * SEED_DEMO_DEVICE_KEYS=true and a non-demo DEMO_DEVICE_KEY_SEED.
 */
export function seedOptions(): SeedOptions {
  const e = env();
  if (!e.isProduction) {
    return {
      adminPassword: e.SEED_ADMIN_PASSWORD,
      customerPassword: e.SEED_CUSTOMER_PASSWORD,
      demoKeySeed: (e.SEED_DEMO_DEVICE_KEYS ?? true) ? e.DEMO_DEVICE_KEY_SEED : null,
    };
  }
  return {
    adminPassword: e.SEED_ADMIN_PASSWORD === DEMO_CREDENTIALS.adminPassword ? null : e.SEED_ADMIN_PASSWORD,
    customerPassword: e.SEED_CUSTOMER_PASSWORD === DEMO_CREDENTIALS.customerPassword ? null : e.SEED_CUSTOMER_PASSWORD,
    demoKeySeed:
      e.SEED_DEMO_DEVICE_KEYS === true && e.DEMO_DEVICE_KEY_SEED !== DEMO_CREDENTIALS.deviceKeySeed
        ? e.DEMO_DEVICE_KEY_SEED
        : null,
  };
}

/** Why production skipped parts of the seed, as lines for the log (empty outside production). */
export function productionSeedNotes(): string[] {
  const e = env();
  if (!e.isProduction) return [];
  const o = seedOptions();
  const notes: string[] = [];
  if (o.adminPassword === null) {
    notes.push(
      'No admin account was created: production never uses the demo password. ' +
        'Set SEED_ADMIN_PASSWORD to a password of your own (8+ characters) and run `npm run db:seed` ' +
        '(or start again on an empty database).',
    );
  }
  if (e.SEED_DEMO_DEVICE_KEYS === true && o.demoKeySeed === null) {
    notes.push(
      'SEED_DEMO_DEVICE_KEYS=true was ignored: ' +
        'in production it needs DEMO_DEVICE_KEY_SEED set to a secret of your own.',
    );
  }
  return notes;
}
