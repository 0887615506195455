// npm run device-key -- drone <id> | automat <id> — issue (or rotate) a device key; prints it once.
import './lib/dotenv';
import { createDb, createSql } from '@/db';
import { issueDeviceKey } from '@/lib/device-keys/issue';
import { AppError, isDatabaseUnavailable } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { uuidSchema } from '@/lib/http';
import { openDatabase } from './lib/database';

const [kind, id] = process.argv.slice(2);
if ((kind !== 'drone' && kind !== 'automat') || !uuidSchema.safeParse(id).success) {
  process.stderr.write(
    'Usage: npm run device-key -- drone <drone-id>\n' +
      '       npm run device-key -- automat <automat-id>\n' +
      'Issues a new key and revokes the previous one. The key is shown once.\n',
  );
  process.exit(2);
}
const log = logger.child({ scope: 'device-key' });
const database = await openDatabase(log);
const sql = createSql(database.url, 1, { prepare: database.prepare });
try {
  const key = await issueDeviceKey(createDb(sql), kind, id!);
  process.stdout.write(
    `New ${kind} key for ${id} (store it now; it is not shown again; the previous key no longer works):\n${key}\n`,
  );
} catch (err) {
  const message =
    err instanceof AppError
      ? err.message
      : isDatabaseUnavailable(err)
        ? 'The database cannot be reached. Is `npm start` running, or is DATABASE_URL right?'
        : 'Issuing the key failed.';
  process.stderr.write(`${message}\n`);
  if (!(err instanceof AppError)) log.error('device-key failed', { err });
  process.exitCode = 1;
} finally {
  await sql.end({ timeout: 5 });
  await database.stop();
}
