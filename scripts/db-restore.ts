// npm run db:restore -- <file.tar.gz> — restores a db:backup archive into an empty EMBEDDED_PG_DATA.
import './lib/dotenv';
import { env } from '@/env';
import { logger } from '@/lib/logger';
import { BackupError, EXTERNAL_DATABASE_MESSAGE, restoreBackup } from './lib/backup';

const args = process.argv.slice(2);
if (args.length !== 1 || args[0]?.startsWith('-')) {
  process.stderr.write(
    'Usage: npm run db:restore -- <file.tar.gz>\n' +
      'Restores a db:backup archive into EMBEDDED_PG_DATA, which must be empty or absent (set it to a new folder).\n',
  );
  process.exit(2);
}
const e = env();
if (e.DATABASE_URL) {
  process.stderr.write(`${EXTERNAL_DATABASE_MESSAGE}\n`);
  process.exit(1);
}
const log = logger.child({ scope: 'restore' });
try {
  const result = await restoreBackup({ archive: args[0] ?? '', dataDir: e.EMBEDDED_PG_DATA, log });
  const m = result.manifest;
  process.stdout.write(
    `Restored ${result.files} files into ${result.dataDir} ` +
      `(backup of ${m.createdAt}, PostgreSQL ${m.serverVersion}, up to WAL ${m.stopLsn}) ` +
      `in ${(result.ms / 1000).toFixed(1)} s.\n` +
      'Recovery finished and the server was stopped cleanly; `npm start` uses it when EMBEDDED_PG_DATA points there.\n',
  );
} catch (err) {
  process.stderr.write(`Restore failed: ${err instanceof Error ? err.message : String(err)}\n`);
  if (!(err instanceof BackupError)) log.error('db:restore failed', { err });
  process.exitCode = 1;
}
