// npm run db:seed — idempotent demo seed (spec sample data + demo city). Never reachable over HTTP.
import './lib/dotenv';
import { createDb, createSql } from '@/db';
import { runMigrations } from '@/db/migrate';
import { seedDatabase } from '@/scripts/lib/seed';
import { logger } from '@/lib/logger';
import { openDatabase } from './lib/database';
import { formatSeedReport } from './lib/seed-report';
import { seedOptions } from './lib/seed-options';

const log = logger.child({ scope: 'seed' });
const database = await openDatabase(log);
// The seed serialises on an advisory lock: straight to PostgreSQL, not through a pooler.
const sql = createSql(database.directUrl, 2);
try {
  await runMigrations(database.directUrl);
  const summary = await seedDatabase(createDb(sql), seedOptions());
  process.stdout.write(`${formatSeedReport(summary)}\n`);
} catch (err) {
  log.error('Seeding failed', { err });
  process.exitCode = 1;
} finally {
  await sql.end({ timeout: 5 });
  await database.stop();
}
