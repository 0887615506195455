import { defineConfig } from 'drizzle-kit';

// Used by `npm run db:generate` only; migrations are applied by scripts/db-migrate.ts
// and the launcher, never by `next build`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './drizzle',
  strict: true,
  verbose: true,
});
