import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '@/db';
import { portIsFree, startEmbeddedPostgres, type EmbeddedPostgres } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { seedDatabase } from '@/scripts/lib/seed';
import { createLogger } from '@/lib/logger';
import { createBackup, restoreBackup, type BackupPhase } from '@/scripts/lib/backup';
import { makeGood, makeUser } from './helpers/factories';

// Backups copy a data directory, so this file runs its own throwaway clusters in a temporary
// folder (never the shared test cluster) on free ports.

const run = promisify(execFile);
const log = createLogger({ scope: 'backup-test' });
const DATABASE = 'skypost_delivery';
const seedOptions = {
  adminPassword: 'admin-pass-123',
  customerPassword: 'client-pass-123',
  demoKeySeed: 'backup-test-seed',
};

let dir: string;
let source: EmbeddedPostgres;
let sql: Sql;
let nextPort = 56_000 + Math.floor(Math.random() * 3_000);

async function freePort(): Promise<number> {
  for (;;) {
    const p = nextPort++;
    if (await portIsFree(p)) return p;
  }
}

async function startCluster(dataDir: string, database = DATABASE) {
  return startEmbeddedPostgres({ dataDir, port: await freePort(), database, log });
}

type Digest = { rows: Record<string, number>; checksum: string };

/** Row counts and one checksum over the contents of every business table (schema public). */
async function digest(db: Sql): Promise<Digest> {
  const tables = await db<{ name: string }[]>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' order by c.relname`;
  const rows: Record<string, number> = {};
  const hash = createHash('sha256');
  for (const { name } of tables) {
    const [r] = await db.unsafe<{ n: number; md5: string }[]>(
      `select count(*)::int as n, coalesce(md5(string_agg(t::text, E'\\n' order by t::text)), '') as md5 ` +
        `from public."${name}" t`,
    );
    rows[name] = r?.n ?? -1;
    hash.update(`${name}:${r?.n}:${r?.md5}\n`);
  }
  return { rows, checksum: hash.digest('hex') };
}

async function withCluster<T>(dataDir: string, fn: (db: Sql) => Promise<T>): Promise<T> {
  const pg = await startCluster(dataDir);
  const db = postgres(pg.url, { max: 2, onnotice: () => {} });
  try {
    return await fn(db);
  } finally {
    await db.end({ timeout: 5 });
    await pg.stop();
  }
}

const total = (d: Digest) => Object.values(d.rows).reduce((a, b) => a + b, 0);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-backup-'));
  source = await startCluster(path.join(dir, 'source'));
  await runMigrations(source.url);
  sql = postgres(source.url, { max: 4, onnotice: () => {} });
  await seedDatabase(createDb(sql), seedOptions);
}, 120_000);

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await source?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('db:backup and db:restore', () => {
  it('restores the business tables exactly as they were at backup time', async () => {
    const atBackup = await digest(sql);
    expect(atBackup.rows.users).toBe(2);
    expect(atBackup.rows.locker_cells_out! + atBackup.rows.locker_cells_internal!).toBe(122);

    const archive = path.join(dir, 'round-trip.tar.gz');
    const result = await createBackup({
      dataDir: path.join(dir, 'source'),
      adminUrl: source.adminUrl,
      outFile: archive,
      log,
    });
    expect(statSync(archive).size).toBe(result.bytes);
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    expect(result.manifest.serverVersionNum).toBeGreaterThanOrEqual(170_000);
    const names = result.manifest.files.map((f) => f.path);
    expect(names).toContain('data/backup_label');
    expect(names).toContain(`data/pg_wal/${result.manifest.walSegments[0]}`);
    expect(
      names.some(
        (n) =>
          /postmaster\.(pid|opts)$/.test(n) || n.startsWith('data/pg_replslot/') || n.startsWith('data/pg_stat_tmp/'),
      ),
    ).toBe(false);

    // Change the source after the backup: insert, update and delete.
    const db = createDb(sql);
    await makeUser(db);
    await makeGood(db);
    await sql`update drones set battery_level = 5`;
    const [gone] = await sql<{ id: string }[]>`delete from goods
      where id = (
        select g.id from goods g where not exists (select 1 from orders o where o.good_id = g.id)
        order by name limit 1
      )
      returning id`;
    expect(gone).toBeDefined();
    const changed = await digest(sql);
    expect(changed.checksum).not.toBe(atBackup.checksum);

    const target = path.join(dir, 'restored');
    const restored = await restoreBackup({ archive, dataDir: target, log });
    expect(restored.files).toBe(result.manifest.files.length);
    expect(existsSync(path.join(target, 'backup_label'))).toBe(false);
    expect(existsSync(path.join(target, 'postmaster.pid'))).toBe(false);

    const after = await withCluster(target, digest);
    expect(after.rows).toEqual(atBackup.rows);
    expect(after.checksum).toBe(atBackup.checksum);
    console.info(
      `[backup round trip] rows before ${total(atBackup)}, after restore ${total(after)} ` +
        `(source now ${total(changed)}); ` +
        `checksum equal: ${after.checksum === atBackup.checksum} (${after.checksum.slice(0, 16)}); ` +
        `archive ${(result.bytes / 1024 / 1024).toFixed(2)} MiB, ${result.manifest.files.length} files, ` +
        `backup ${result.ms} ms, restore ${restored.ms} ms`,
    );
  }, 240_000);

  it('is consistent under ongoing writes, keeps every write acknowledged before backup start and stop', async () => {
    await sql`create schema if not exists probe`;
    await sql`create table probe.rows (n int primary key, payload text not null)`;
    await sql`create table probe.counter (id int primary key, n int not null)`;
    await sql`insert into probe.counter values (1, 0)`;
    const business = await digest(sql);

    const acknowledged: number[] = [];
    let stop = false;
    let writerError: unknown;
    // Each transaction bumps the counter and inserts the matching row: after any crash-consistent
    // recovery, count(rows) = counter = max(n).
    const writer = async () => {
      while (!stop) {
        const n = await sql.begin(async (tx) => {
          const [c] = await tx<{ n: number }[]>`update probe.counter set n = n + 1 where id = 1 returning n`;
          await tx`insert into probe.rows values (${c!.n}, ${'x'.repeat(2000)})`;
          return c!.n;
        });
        acknowledged.push(n);
      }
    };
    const writers = [writer(), writer()].map((p) => p.catch((err) => (writerError = err)));
    const commitsAfter = async (count: number) => {
      const target = acknowledged.length + count;
      while (acknowledged.length < target && !writerError) await new Promise((r) => setTimeout(r, 10));
    };
    await commitsAfter(20);

    let beforeStart: number[] = [];
    let beforeStop: number[] = [];
    let copyStartedAt = 0;
    let copyEndedAt = 0;
    const onPhase = async (p: BackupPhase) => {
      if (p.phase === 'started') {
        beforeStart = [...acknowledged];
        // Writes, segment switches and a checkpoint during the copy: the WAL spans several
        // segments, and the checkpoint would recycle the early ones if nothing pinned them.
        await commitsAfter(30);
        await sql`select pg_switch_wal()`;
        await commitsAfter(30);
        await sql`checkpoint`;
        await sql`select pg_switch_wal()`;
        await commitsAfter(30);
        copyStartedAt = acknowledged.length;
      }
      if (p.phase === 'copied') {
        copyEndedAt = acknowledged.length;
        await commitsAfter(30);
        beforeStop = [...acknowledged];
      }
    };
    const archive = path.join(dir, 'concurrent.tar.gz');
    let result;
    try {
      result = await createBackup({
        dataDir: path.join(dir, 'source'),
        adminUrl: source.adminUrl,
        outFile: archive,
        log,
        onPhase,
      });
      await commitsAfter(10);
    } finally {
      stop = true;
      await Promise.all(writers);
    }
    expect(writerError).toBeUndefined();
    expect(result.manifest.walSegments.length).toBeGreaterThanOrEqual(3);
    expect(beforeStart.length).toBeGreaterThanOrEqual(20);
    expect(beforeStop.length).toBeGreaterThan(beforeStart.length + 100);
    // Some transactions committed while the data files were being copied.
    expect(copyEndedAt).toBeGreaterThan(copyStartedAt);

    const target = path.join(dir, 'restored-concurrent');
    await restoreBackup({ archive, dataDir: target, log });
    await withCluster(target, async (db) => {
      const present = new Set((await db<{ n: number }[]>`select n from probe.rows`).map((r) => r.n));
      expect(beforeStart.filter((n) => !present.has(n))).toEqual([]);
      expect(beforeStop.filter((n) => !present.has(n))).toEqual([]);
      const [c] = await db<{ counter: number; rows: number; max: number }[]>`
        select (select n from probe.counter) as counter, (select count(*)::int from probe.rows) as rows,
          (select max(n) from probe.rows) as max`;
      expect(c!.rows).toBe(c!.counter);
      expect(c!.max).toBe(c!.counter);
      // Rows acknowledged after the backup stopped are not in it.
      expect(c!.counter).toBeLessThan(acknowledged.length);
      // Every B-tree index agrees with its table. A partitioned table's index (relkind I) has
      // no storage of its own: its partitions' indexes (relkind i) are the ones checked.
      await db`create extension if not exists amcheck`;
      const checked = await db<{ n: number }[]>`
        select count(bt_index_check(c.oid, true))::int as n from pg_index i join pg_class c on c.oid = i.indexrelid
        join pg_am a on a.oid = c.relam join pg_namespace s on s.oid = c.relnamespace
        where a.amname = 'btree' and c.relkind = 'i' and s.nspname in ('public', 'probe')`;
      expect(checked[0]!.n).toBeGreaterThan(10);
      expect((await digest(db)).checksum).toBe(business.checksum);
      const [rec] = await db<{ r: boolean }[]>`select pg_is_in_recovery() as r`;
      expect(rec!.r).toBe(false);
      console.info(
        `[backup under writes] acknowledged before pg_backup_start returned ${beforeStart.length}, ` +
          `during the file copy ${copyEndedAt - copyStartedAt}, ` +
          `before pg_backup_stop ${beforeStop.length}, in all ${acknowledged.length}; ` +
          `restored ${c!.rows} rows = counter ${c!.counter}; ` +
          `WAL segments ${result.manifest.walSegments.length}; ${checked[0]!.n} B-tree indexes verified`,
      );
    });
  }, 300_000);

  describe('refusals', () => {
    let archive: string;
    let unpacked: string;
    beforeAll(async () => {
      archive = path.join(dir, 'refusals.tar.gz');
      await createBackup({ dataDir: path.join(dir, 'source'), adminUrl: source.adminUrl, outFile: archive, log });
      unpacked = path.join(dir, 'refusals-unpacked');
      mkdirSync(unpacked);
      await run('tar', ['-xzf', archive, '-C', unpacked]);
    }, 120_000);

    /** A copy of the archive's contents, changed by edit, packed as another archive. */
    async function tampered(name: string, edit: (root: string) => void): Promise<string> {
      const root = path.join(dir, `tamper-${name}`);
      await run('cp', ['-a', unpacked, root]);
      edit(root);
      const out = path.join(dir, `${name}.tar.gz`);
      await run('tar', ['-I', 'gzip -1', '-cf', out, '-C', root, 'manifest.json', 'data']);
      rmSync(root, { recursive: true, force: true });
      return out;
    }

    const emptyTarget = (name: string) => path.join(dir, `target-${name}`);
    const untouched = (target: string) => !existsSync(target) || readdirSync(target).length === 0;

    it('refuses a target data directory that is not empty, and leaves it alone', async () => {
      const target = emptyTarget('busy');
      mkdirSync(target);
      writeFileSync(path.join(target, 'keep.txt'), 'mine');
      await expect(restoreBackup({ archive, dataDir: target, log })).rejects.toThrow(/is not empty/);
      expect(readdirSync(target)).toEqual(['keep.txt']);
    });

    it('refuses a data directory a server is running on', async () => {
      await expect(restoreBackup({ archive, dataDir: path.join(dir, 'source'), log })).rejects.toThrow(
        /server \(pid \d+\) is running/,
      );
      const [r] = await sql<{ one: number }[]>`select 1 as one`;
      expect(r!.one).toBe(1);
    });

    it('reports a missing backup file', async () => {
      const target = emptyTarget('missing');
      await expect(restoreBackup({ archive: path.join(dir, 'nope.tar.gz'), dataDir: target, log })).rejects.toThrow(
        /Backup file not found/,
      );
      expect(untouched(target)).toBe(true);
    });

    it('reports a damaged archive', async () => {
      const bytes = readFileSync(archive);
      const truncated = path.join(dir, 'truncated.tar.gz');
      writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
      const target = emptyTarget('truncated');
      await expect(restoreBackup({ archive: truncated, dataDir: target, log })).rejects.toThrow(
        /Corrupt archive .* does not unpack/,
      );
      expect(untouched(target)).toBe(true);
    });

    it('reports a checksum mismatch and places nothing', async () => {
      const changed = await tampered('checksum', (root) =>
        writeFileSync(path.join(root, 'data', 'postgresql.conf'), '\n# edited\n', { flag: 'a' }),
      );
      const target = emptyTarget('checksum');
      await expect(restoreBackup({ archive: changed, dataDir: target, log })).rejects.toThrow(
        /checksum mismatch for data\/postgresql\.conf/,
      );
      expect(untouched(target)).toBe(true);
    });

    it('reports a file missing from the archive', async () => {
      const changed = await tampered('missing-file', (root) => rmSync(path.join(root, 'data', 'backup_label')));
      const target = emptyTarget('missing-file');
      await expect(restoreBackup({ archive: changed, dataDir: target, log })).rejects.toThrow(
        /data\/backup_label is missing/,
      );
      expect(untouched(target)).toBe(true);
    });

    it('refuses a backup from another PostgreSQL major version', async () => {
      const changed = await tampered('version', (root) => {
        const file = path.join(root, 'manifest.json');
        const m = JSON.parse(readFileSync(file, 'utf8')) as { serverVersion: string; serverVersionNum: number };
        writeFileSync(file, JSON.stringify({ ...m, serverVersion: '16.4', serverVersionNum: 160_004 }));
      });
      const target = emptyTarget('version');
      await expect(restoreBackup({ archive: changed, dataDir: target, log })).rejects.toThrow(
        /Version mismatch: the backup is from PostgreSQL 16\.4/,
      );
      expect(untouched(target)).toBe(true);
    });
  });

  describe('the npm scripts', () => {
    const tsx = path.resolve('node_modules/.bin/tsx');
    const cli = (script: string, args: string[], env: Record<string, string>) =>
      run(tsx, [script, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, timeout: 180_000 }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (err: { code?: number; stdout?: string; stderr?: string }) => ({
          code: err.code ?? -1,
          stdout: err.stdout ?? '',
          stderr: err.stderr ?? '',
        }),
      );

    it('refuse to act on a DATABASE_URL database and do nothing', async () => {
      const out = path.join(dir, 'external.tar.gz');
      const env = { DATABASE_URL: source.url, EMBEDDED_PG_DATA: path.join(dir, 'external-target') };
      const backup = await cli('scripts/db-backup.ts', [out], env);
      expect(backup.code).toBe(1);
      expect(backup.stderr).toMatch(/DATABASE_URL is set.*pg_dump/s);
      expect(existsSync(out)).toBe(false);
      const restore = await cli('scripts/db-restore.ts', [path.join(dir, 'refusals.tar.gz')], env);
      expect(restore.code).toBe(1);
      expect(restore.stderr).toMatch(/snapshots/);
      expect(existsSync(path.join(dir, 'external-target'))).toBe(false);
    }, 120_000);

    it('back up a server owned by a live launcher, and restore through the command line', async () => {
      // `source` was started by this process, which stays alive: the script attaches as it would to
      // `npm start`'s server.
      const out = path.join(dir, 'cli.tar.gz');
      const backup = await cli('scripts/db-backup.ts', [out], {
        EMBEDDED_PG_DATA: path.join(dir, 'source'),
        EMBEDDED_PG_PORT: String(await freePort()),
      });
      expect(backup.stderr).toBe('');
      expect(backup.code).toBe(0);
      expect(backup.stdout).toMatch(/Backup written: .*cli\.tar\.gz/);
      const [r] = await sql<{ one: number }[]>`select 1 as one`;
      expect(r!.one).toBe(1);

      const expected = await digest(sql);
      const target = path.join(dir, 'cli-restored');
      const restore = await cli('scripts/db-restore.ts', [out], {
        EMBEDDED_PG_DATA: target,
        EMBEDDED_PG_PORT: String(await freePort()),
      });
      expect(restore.code).toBe(0);
      expect(restore.stdout).toMatch(/Recovery finished and the server was stopped cleanly/);
      expect((await withCluster(target, digest)).checksum).toBe(expected.checksum);
    }, 300_000);

    it('back up a stopped cluster by starting it for the backup and stopping it again', async () => {
      const dataDir = path.join(dir, 'restored');
      expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
      const expected = await withCluster(dataDir, digest);
      const out = path.join(dir, 'stopped.tar.gz');
      const backup = await cli('scripts/db-backup.ts', [out], {
        EMBEDDED_PG_DATA: dataDir,
        EMBEDDED_PG_PORT: String(await freePort()),
      });
      expect(backup.code).toBe(0);
      expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
      const target = path.join(dir, 'stopped-restored');
      await restoreBackup({ archive: out, dataDir: target, log });
      expect((await withCluster(target, digest)).checksum).toBe(expected.checksum);
    }, 300_000);
  });
});
