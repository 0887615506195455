// npm run db:backup [-- <file.tar.gz>] — consistent online backup of the embedded PostgreSQL cluster.
import './lib/dotenv';
import path from 'node:path';
import { env } from '@/env';
import { logger } from '@/lib/logger';
import { BackupError, createBackup, EXTERNAL_DATABASE_MESSAGE, formatBytes } from './lib/backup';
import { openDatabase } from './lib/database';

const args = process.argv.slice(2);
if (args.length > 1 || args[0]?.startsWith('-')) {
  process.stderr.write(
    'Usage: npm run db:backup [-- <file.tar.gz>]\n' +
      'Writes a consistent backup of the embedded database (default: backups/ next to EMBEDDED_PG_DATA).\n',
  );
  process.exit(2);
}
const e = env();
if (e.DATABASE_URL) {
  process.stderr.write(`${EXTERNAL_DATABASE_MESSAGE}\n`);
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
const outFile = path.resolve(
  args[0] ?? path.join(path.dirname(path.resolve(e.EMBEDDED_PG_DATA)), 'backups', `skypost-${stamp}.tar.gz`),
);

const shown = (file: string) =>
  path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file);

const log = logger.child({ scope: 'backup' });
// Attaches to the server of a running `npm start`, or starts the embedded server for the backup.
const database = await openDatabase(log);
try {
  if (!database.embedded) throw new BackupError(EXTERNAL_DATABASE_MESSAGE);
  const result = await createBackup({
    dataDir: e.EMBEDDED_PG_DATA,
    adminUrl: database.embedded.adminUrl,
    outFile,
    log,
  });
  const m = result.manifest;
  process.stdout.write(
    `Backup written: ${result.file}\n` +
      `  PostgreSQL ${m.serverVersion}, WAL ${m.startLsn} to ${m.stopLsn} (${m.walSegments.length} segments), ` +
      `${m.files.length} files, ${formatBytes(result.bytes)} in ${(result.ms / 1000).toFixed(1)} s\n` +
      `Restore it (into an empty EMBEDDED_PG_DATA) with: npm run db:restore -- ${shown(result.file)}\n`,
  );
} catch (err) {
  process.stderr.write(`Backup failed: ${err instanceof Error ? err.message : String(err)}\n`);
  if (!(err instanceof BackupError)) log.error('db:backup failed', { err });
  process.exitCode = 1;
} finally {
  await database.stop();
}
