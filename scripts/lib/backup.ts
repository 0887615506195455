import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { z } from 'zod';
import { embeddedOsUser, embeddedServerBinary, isAlive, startEmbeddedPostgres } from '@/db/embedded';
import type { Logger } from '@/lib/logger';

// A consistent physical backup of the embedded PostgreSQL cluster, made with the server's own
// base-backup API (pg_backup_start / pg_backup_stop) because the embedded distribution ships no
// pg_dump or pg_basebackup, and Debian's client tools (15) cannot talk to a 17 server.
//
// The archive is one .tar.gz (Debian's GNU tar) holding `manifest.json` and `data/`, a data
// directory that PostgreSQL starts from like a crashed server: it reads `backup_label`, replays
// the WAL we packed from the start LSN through the stop LSN, and is consistent at the end.

const execFileAsync = promisify(execFile);

export const BACKUP_FORMAT = 'skypost-backup/1';

export class BackupError extends Error {}

const fileEntry = z.object({
  path: z.string().min(1),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  createdAt: z.string(),
  serverVersion: z.string(),
  serverVersionNum: z.number().int(),
  systemIdentifier: z.string(),
  label: z.string(),
  startLsn: z.string(),
  stopLsn: z.string(),
  timeline: z.number().int(),
  walSegments: z.array(z.string()),
  files: z.array(fileEntry),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

export type BackupPhase =
  | { phase: 'started'; startLsn: string }
  | { phase: 'copied'; files: number; bytes: number }
  | { phase: 'stopped'; stopLsn: string; walSegments: number };

export type BackupResult = { file: string; bytes: number; ms: number; manifest: BackupManifest };

// What PostgreSQL's docs ("Making a Base Backup Using the Low Level API") and pg_basebackup leave
// out: these directories are recreated empty on startup or hold only runtime state.
const EMPTY_DIRS = new Set([
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
  'pg_replslot',
]);
const SKIP_TOP_FILES = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'backup_label',
  'tablespace_map',
  'backup_manifest',
]);
const RELATION_FILE = /^(\d+)(?:_(fsm|vm|init))?(?:\.\d+)?$/;
const TEMP_RELATION_FILE = /^t\d+_\d+(?:_(?:fsm|vm|init))?(?:\.\d+)?$/;

/** The folder of one database (base/<oid>): unlogged relations keep only their init fork. */
function isDatabaseDir(rel: string) {
  return /^base\/\d+$/.test(rel);
}

type Copied = { path: string; size: number; sha256: string };

const copyBuffer = Buffer.allocUnsafe(1 << 20);

/**
 * Copies one file (owner-only, as PostgreSQL creates them) while hashing what was written; a
 * file dropped meanwhile (ENOENT) is skipped.
 * Synchronous on purpose: a cluster is thousands of small files, and a thread-pool round trip
 * per open/read/write/close made the copy several times slower than `cp` on a busy machine.
 */
function copyAndHash(src: string, dst: string): Omit<Copied, 'path'> | null {
  let input: number;
  try {
    input = openSync(src, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let output: number | undefined;
  const hash = createHash('sha256');
  let size = 0;
  try {
    output = openSync(dst, 'wx', 0o600);
    for (;;) {
      const n = readSync(input, copyBuffer, 0, copyBuffer.length, null);
      if (n === 0) break;
      const chunk = copyBuffer.subarray(0, n);
      hash.update(chunk);
      writeSync(output, chunk);
      size += n;
    }
  } finally {
    closeSync(input);
    if (output !== undefined) closeSync(output);
  }
  return { size, sha256: hash.digest('hex') };
}

function writeAndHash(dst: string, text: string): Omit<Copied, 'path'> {
  writeFileSync(dst, text, { mode: 0o600 });
  return { size: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
}

/**
 * Copies the data directory (minus the excluded runtime state and all of pg_wal) into `dest`.
 * Files change while we read them; that is expected: WAL replay from the backup's start LSN
 * (full-page images are forced while a backup runs) repairs every torn or stale page.
 */
async function copyDataDir(src: string, dest: string, files: Copied[]) {
  // The copy itself is synchronous; yielding every few milliseconds keeps the rest of the
  // process (the backup session's socket, and callers that write while they back up) running.
  let yielded = Date.now();
  const breathe = async () => {
    if (Date.now() - yielded < 20) return;
    await new Promise((resolve) => setImmediate(resolve));
    yielded = Date.now();
  };
  const walk = async (rel: string) => {
    let entries;
    try {
      entries = readdirSync(rel ? path.join(src, rel) : src, { withFileTypes: true });
    } catch (err) {
      // A database dropped during the backup; replaying its DROP removes the copy's folder too.
      if (rel && (err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const initForks = new Set<string>();
    if (isDatabaseDir(rel)) {
      for (const e of entries) {
        const m = RELATION_FILE.exec(e.name);
        if (m?.[1] && m[2] === 'init') initForks.add(m[1]);
      }
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const abs = path.join(src, r);
      if (e.name.startsWith('pgsql_tmp') || e.name.startsWith('pg_internal.init')) continue;
      if (!rel && SKIP_TOP_FILES.has(e.name)) continue;
      if (r === 'pg_wal') {
        // Only the folder and its subfolders (archive_status, summaries); the backup's own
        // segments are added after pg_backup_stop. pg_wal may be a link (initdb --waldir).
        mkdirSync(path.join(dest, r), { mode: 0o700 });
        for (const sub of readdirSync(abs, { withFileTypes: true }))
          if (sub.isDirectory()) mkdirSync(path.join(dest, r, sub.name), { mode: 0o700 });
        continue;
      }
      if (e.isSymbolicLink()) {
        throw new BackupError(
          `${abs} is a symbolic link (a tablespace or a relocated folder). ` +
            'db:backup copies a self-contained data directory only.',
        );
      }
      if (e.isDirectory()) {
        mkdirSync(path.join(dest, r), { mode: 0o700 });
        if (!rel && EMPTY_DIRS.has(e.name)) continue;
        await walk(r);
        continue;
      }
      if (!e.isFile()) continue;
      if (isDatabaseDir(rel)) {
        if (TEMP_RELATION_FILE.test(e.name)) continue;
        const m = RELATION_FILE.exec(e.name);
        // An unlogged relation is reset from its init fork after recovery; its other forks are not needed.
        if (m?.[1] && initForks.has(m[1]) && m[2] !== 'init') continue;
      }
      const copied = copyAndHash(abs, path.join(dest, r));
      if (copied) files.push({ path: `data/${r}`, ...copied });
      await breathe();
    }
  };
  await walk('');
}

/** WAL file names from the start segment through the stop segment, on one timeline. */
function segmentRange(first: string, last: string, segmentSize: number): string[] {
  const parse = (name: string) => ({
    tli: name.slice(0, 8),
    log: Number.parseInt(name.slice(8, 16), 16),
    seg: Number.parseInt(name.slice(16, 24), 16),
  });
  const a = parse(first);
  const b = parse(last);
  if (a.tli !== b.tli)
    throw new BackupError(`The timeline changed during the backup (${first} to ${last}); run db:backup again.`);
  const perLog = 0x1_0000_0000 / segmentSize;
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');
  const names: string[] = [];
  for (let n = a.log * perLog + a.seg; n <= b.log * perLog + b.seg; n++)
    names.push(`${a.tli}${hex(Math.floor(n / perLog))}${hex(n % perLog)}`);
  return names;
}

async function tar(args: string[]): Promise<void> {
  try {
    await execFileAsync('tar', args, { maxBuffer: 16 << 20 });
  } catch (err) {
    const e = err as { stderr?: string; message: string; code?: string };
    if (e.code === 'ENOENT') throw new BackupError('GNU tar is needed for backups (apt-get install tar gzip).');
    throw new BackupError((e.stderr ?? '').trim() || e.message);
  }
}

export type CreateBackupOptions = {
  /** The data directory of the server behind adminUrl; verified against the server's own data_directory. */
  dataDir: string;
  /** A superuser connection URL of that server. */
  adminUrl: string;
  /** Where to write the archive (.tar.gz); must not exist. */
  outFile: string;
  log: Logger;
  onPhase?: (p: BackupPhase) => void | Promise<void>;
};

/**
 * Makes a consistent backup while the server runs and takes writes.
 *
 * WAL: a temporary physical replication slot, created on the backup's own connection before
 * pg_backup_start, pins every WAL segment from before the backup's start LSN, so no checkpoint
 * can recycle a segment we still need however long the copy takes or however many writes land.
 * After pg_backup_stop(wait_for_archive => false) (the embedded server does not archive WAL),
 * which writes the backup-end record and switches to a new segment, we copy the segments from
 * the start LSN through the stop LSN. The slot is temporary, so PostgreSQL drops it when the
 * session ends, even if this process dies. wal_keep_size would also work but guesses a size;
 * the slot holds exactly what is needed.
 */
export async function createBackup(opts: CreateBackupOptions): Promise<BackupResult> {
  const { log } = opts;
  const started = Date.now();
  const dataDir = realpathSync(opts.dataDir);
  const outFile = path.resolve(opts.outFile);
  if (existsSync(outFile)) throw new BackupError(`${outFile} already exists; choose another file name.`);
  // The archive is the whole database, password and key hashes included: owner-only.
  mkdirSync(path.dirname(outFile), { recursive: true, mode: 0o700 });
  const staging = `${outFile}.partial.d`;
  const partial = `${outFile}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(path.join(staging, 'data'), { recursive: true, mode: 0o700 });

  const client = postgres(opts.adminUrl, { max: 1, onnotice: () => {}, idle_timeout: 0 });
  // Non-exclusive backups end when their session ends: one reserved connection from start to stop.
  const conn = await client.reserve();
  let inBackup = false;
  try {
    const [info] = await conn<
      { version: string; num: string; dir: string; segsize: string; sysid: string; wal_level: string }[]
    >`
      select current_setting('server_version') as version, current_setting('server_version_num') as num,
             current_setting('data_directory') as dir,
             (select setting from pg_settings where name = 'wal_segment_size') as segsize,
             (select system_identifier::text from pg_control_system()) as sysid,
             current_setting('wal_level') as wal_level`;
    if (!info) throw new BackupError('The server returned no settings.');
    if (realpathSync(info.dir) !== dataDir) {
      throw new BackupError(
        `The server at this URL runs on ${info.dir}, not on ${dataDir}: refusing to copy the wrong folder.`,
      );
    }
    if (info.wal_level === 'minimal')
      throw new BackupError('wal_level is minimal; online backups need wal_level = replica.');
    const segmentSize = Number.parseInt(info.segsize, 10);

    const label = `skypost ${new Date().toISOString()}`;
    const slot = `skypost_backup_${process.pid}_${randomBytes(4).toString('hex')}`;
    await conn`select pg_create_physical_replication_slot(${slot}, true, true)`;
    const [start] = await conn<{ lsn: string; file: string; tli: string }[]>`
      select lsn::text as lsn, (pg_walfile_name_offset(lsn)).file_name as file,
             (select timeline_id::text from pg_control_checkpoint()) as tli
      from pg_backup_start(${label}, true) as lsn`;
    if (!start) throw new BackupError('pg_backup_start returned nothing.');
    inBackup = true;
    log.info('Backup started', { startLsn: start.lsn, dataDir });
    await opts.onPhase?.({ phase: 'started', startLsn: start.lsn });

    const files: Copied[] = [];
    await copyDataDir(dataDir, path.join(staging, 'data'), files);
    const copiedBytes = files.reduce((n, f) => n + f.size, 0);
    log.info('Data files copied', { files: files.length, bytes: copiedBytes });
    await opts.onPhase?.({ phase: 'copied', files: files.length, bytes: copiedBytes });

    const [stop] = await conn<{ lsn: string; labelfile: string; spcmapfile: string; file: string }[]>`
      select lsn::text as lsn, labelfile, spcmapfile, pg_walfile_name(lsn) as file from pg_backup_stop(false)`;
    inBackup = false;
    if (!stop) throw new BackupError('pg_backup_stop returned nothing.');

    files.push({
      path: 'data/backup_label',
      ...writeAndHash(path.join(staging, 'data', 'backup_label'), stop.labelfile),
    });
    if (stop.spcmapfile) {
      files.push({
        path: 'data/tablespace_map',
        ...writeAndHash(path.join(staging, 'data', 'tablespace_map'), stop.spcmapfile),
      });
    }
    const walDir = path.join(dataDir, 'pg_wal');
    const segments = segmentRange(start.file, stop.file, segmentSize);
    const wanted = [...segments, ...readdirSync(walDir).filter((n) => n.endsWith('.history'))];
    for (const name of wanted) {
      const copied = copyAndHash(path.join(walDir, name), path.join(staging, 'data', 'pg_wal', name));
      if (!copied)
        throw new BackupError(`WAL segment ${name} is missing from ${walDir}; the backup cannot be made consistent.`);
      files.push({ path: `data/pg_wal/${name}`, ...copied });
    }
    await conn`select pg_drop_replication_slot(${slot})`;
    log.info('Backup stopped', { stopLsn: stop.lsn, walSegments: segments.length });
    await opts.onPhase?.({ phase: 'stopped', stopLsn: stop.lsn, walSegments: segments.length });

    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: new Date().toISOString(),
      serverVersion: info.version,
      serverVersionNum: Number.parseInt(info.num, 10),
      systemIdentifier: info.sysid,
      label,
      startLsn: start.lsn,
      stopLsn: stop.lsn,
      timeline: Number.parseInt(start.tli, 10),
      walSegments: segments,
      files,
    };
    writeFileSync(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
    writeFileSync(partial, '', { mode: 0o600 });
    await tar(['-czf', partial, '-C', staging, 'manifest.json', 'data']);
    chmodSync(partial, 0o600);
    renameSync(partial, outFile);
    const bytes = statSync(outFile).size;
    const ms = Date.now() - started;
    return { file: outFile, bytes, ms, manifest };
  } finally {
    if (inBackup) {
      // Ends the backup on an error so the server does not keep forcing full-page writes.
      await conn`select pg_backup_stop(false)`.catch(() => {});
    }
    conn.release();
    await client.end({ timeout: 5 });
    rmSync(staging, { recursive: true, force: true });
    rmSync(partial, { force: true });
  }
}

/** Why restoring into dataDir is refused, if it is. */
function refuseTarget(dataDir: string) {
  if (!existsSync(dataDir)) return;
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new BackupError(
        `A PostgreSQL server (pid ${pid}) is running on ${dataDir}. ` +
          'Stop it (and `npm start`) and restore into an empty folder.',
      );
    }
  }
  if (!statSync(dataDir).isDirectory()) throw new BackupError(`${dataDir} exists and is not a folder.`);
  if (readdirSync(dataDir).length > 0) {
    throw new BackupError(
      `The target data directory ${dataDir} is not empty. ` +
        'Restore never overwrites a cluster: move it away, or set EMBEDDED_PG_DATA to an empty or new folder.',
    );
  }
}

async function serverMajor(): Promise<number> {
  const { stdout } = await execFileAsync(embeddedServerBinary(), ['--version']);
  const m = /(\d+)(?:\.\d+)?/.exec(stdout.replace(/^[^)]*\)/, ''));
  if (!m) throw new BackupError(`Cannot read the server version from "${stdout.trim()}".`);
  return Number.parseInt(m[1] ?? '', 10);
}

function hashFile(file: string): { size: number; sha256: string } {
  const data = readFileSync(file);
  return { size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
}

/** Every file under root (relative, '/'-separated); anything but files and folders is an error. */
function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(rel ? path.join(root, rel) : root, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(root, r));
    else if (e.isFile()) out.push(r);
    else throw new BackupError(`Corrupt archive: ${r} is neither a file nor a folder.`);
  }
  return out;
}

function chownTree(dir: string, ids: { uid: number; gid: number }) {
  chownSync(dir, ids.uid, ids.gid);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) chownTree(p, ids);
    else chownSync(p, ids.uid, ids.gid);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export type RestoreResult = { dataDir: string; manifest: BackupManifest; files: number; ms: number };

/**
 * Unpacks a backup into an empty data directory, verifies every checksum before anything is
 * placed, then starts the server once so it replays the packed WAL to the backup's end, and
 * stops it cleanly (a shutdown checkpoint), leaving a cluster that starts like any other.
 */
export async function restoreBackup(opts: { archive: string; dataDir: string; log: Logger }): Promise<RestoreResult> {
  const { log } = opts;
  const started = Date.now();
  const archive = path.resolve(opts.archive);
  const dataDir = path.resolve(opts.dataDir);
  if (!existsSync(archive) || !statSync(archive).isFile()) throw new BackupError(`Backup file not found: ${archive}`);
  refuseTarget(dataDir);
  const existed = existsSync(dataDir);

  const parent = path.dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  const staging = path.join(parent, `.${path.basename(dataDir)}.restoring-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o700 });
  let placed = false;
  try {
    try {
      await tar(['-xzf', archive, '-C', staging, '--no-same-owner']);
    } catch (err) {
      throw new BackupError(`Corrupt archive ${archive}: it does not unpack (${(err as Error).message}).`);
    }
    let manifest: BackupManifest;
    try {
      manifest = manifestSchema.parse(JSON.parse(readFileSync(path.join(staging, 'manifest.json'), 'utf8')));
    } catch {
      throw new BackupError(
        `Corrupt archive ${archive}: it holds no valid ${BACKUP_FORMAT} manifest.json. ` +
          'Was it made by npm run db:backup?',
      );
    }
    const major = await serverMajor();
    const backupMajor = Math.floor(manifest.serverVersionNum / 10_000);
    const pgVersion = readFileSync(path.join(staging, 'data', 'PG_VERSION'), 'utf8').trim();
    if (backupMajor !== major || pgVersion !== String(major)) {
      throw new BackupError(
        `Version mismatch: the backup is from PostgreSQL ${manifest.serverVersion} ` +
          `(data directory version ${pgVersion}), but the embedded server is PostgreSQL ${major}. ` +
          'A physical backup restores only into the same major version.',
      );
    }
    const listed = new Map(manifest.files.map((f) => [f.path, f]));
    const present = listFiles(staging).filter((f) => f !== 'manifest.json');
    for (const f of present) {
      const want = listed.get(f);
      if (!want) throw new BackupError(`Corrupt archive ${archive}: ${f} is not in the manifest.`);
      const got = hashFile(path.join(staging, f));
      if (got.size !== want.size || got.sha256 !== want.sha256)
        throw new BackupError(`Corrupt archive ${archive}: checksum mismatch for ${f}.`);
      listed.delete(f);
    }
    if (listed.size > 0)
      throw new BackupError(
        `Corrupt archive ${archive}: ${[...listed.keys()][0]} is missing (${listed.size} files in all).`,
      );

    if (existsSync(dataDir)) rmdirSync(dataDir);
    renameSync(path.join(staging, 'data'), dataDir);
    placed = true;
    chmodSync(dataDir, 0o700);
    const ids = embeddedOsUser();
    if (ids) chownTree(dataDir, ids);
    log.info('Backup unpacked and verified', { files: manifest.files.length, dataDir });

    // Crash recovery from backup_label: replays the packed WAL through the backup-end record.
    const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'postgres', log });
    try {
      const check = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
      try {
        const [row] = await check<{ recovering: boolean }[]>`select pg_is_in_recovery() as recovering`;
        if (row?.recovering !== false) throw new BackupError('The restored server is still in recovery.');
      } finally {
        await check.end({ timeout: 5 });
      }
    } finally {
      await server.stop();
    }
    if (existsSync(path.join(dataDir, 'postmaster.pid')))
      throw new BackupError(`The server on ${dataDir} did not stop cleanly after recovery.`);
    if (existsSync(path.join(dataDir, 'backup_label')))
      throw new BackupError(`Recovery did not finish on ${dataDir} (backup_label is still there).`);
    log.info('Recovery finished; the server was stopped cleanly', { dataDir });
    return { dataDir, manifest, files: manifest.files.length, ms: Date.now() - started };
  } catch (err) {
    // The folder was empty before; what we placed there is a copy of the archive, which remains.
    if (placed) {
      rmSync(dataDir, { recursive: true, force: true });
      if (existed) mkdirSync(dataDir, { mode: 0o700 });
    }
    throw err;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** db:backup and db:restore act on the embedded cluster's files only; a DATABASE_URL server is not ours to copy. */
export const EXTERNAL_DATABASE_MESSAGE =
  'DATABASE_URL is set, so SkyPost uses a managed or external PostgreSQL. ' +
  'Back it up (and restore it) with that service: ' +
  'its snapshots or point-in-time recovery, or pg_dump/pg_restore of a matching version. ' +
  "db:backup and db:restore copy the embedded cluster's files only, and did nothing.";

/** Human-readable size for the command-line report. */
export function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}
