// npm run db:migrate — applies drizzle/ migrations to DATABASE_URL (or the embedded database).
import './lib/dotenv';
import { runMigrations } from '@/db/migrate';
import { logger } from '@/lib/logger';
import { openDatabase, redactUrl } from './lib/database';

const log = logger.child({ scope: 'migrate' });
const database = await openDatabase(log);
try {
  const started = Date.now();
  await runMigrations(database.directUrl);
  log.info('Migrations applied', { database: redactUrl(database.directUrl), ms: Date.now() - started });
} catch (err) {
  log.error('Migration failed', { err });
  process.exitCode = 1;
} finally {
  await database.stop();
}
