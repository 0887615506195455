import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb } from '@/db';
import { droneBatteryHistory } from '@/db/queries/drones';
import { droneDetail } from '@/db/queries/fleet';
import { runMigrations } from '@/db/migrate';
import { drones } from '@/db/schema';
import { droneDeletionImpact } from '@/lib/admin/drones';
import { maintainTelemetryPartitions, partitionName } from '@/lib/telemetry-history/partitions';
import { createTestDatabase, type TestDatabase } from './helpers/db';

const DAY = 86_400_000;
const dayStart = (t: number) => Math.floor(t / DAY) * DAY;

let t: TestDatabase;
let droneId: string;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

beforeEach(async () => {
  await t.sql`delete from drones`;
  const [d] = await t.db
    .insert(drones)
    .values({ model: 'Part', ipAddress: '10.9.0.1', status: 'idle' })
    .returning({ id: drones.id });
  droneId = d!.id;
});

const partitions = async () =>
  (
    await t.sql<{ name: string }[]>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'drone_telemetry'::regclass order by 1`
  ).map((r) => r.name);

const insertReading = (at: Date, battery = 50) =>
  t.sql`insert into drone_telemetry (drone_id, recorded_at, lat, lon, battery_level)
    values (${droneId}, ${at.toISOString()}::timestamptz, 55.7, 37.6, ${battery})`;

/** Which partition holds each of the drone's readings, by recorded_at. */
const placement = async () =>
  (
    await t.sql<{ part: string; at: string }[]>`
    select tableoid::regclass::text as part, to_json(recorded_at)#>>'{}' as at from drone_telemetry
    where drone_id = ${droneId} order by recorded_at`
  ).map((r) => [r.part, new Date(r.at).toISOString()]);

describe('the partitioned drone_telemetry', () => {
  it('keeps the spec index names on the parent and has day partitions from today to a week ahead', async () => {
    const idx = await t.sql<{ name: string; def: string }[]>`
      select indexname as name, indexdef as def from pg_indexes where tablename = 'drone_telemetry' order by 1`;
    expect(idx.map((i) => i.name)).toEqual([
      'drone_telemetry_pkey',
      'idx_drone_telemetry_drone_recorded_at',
      'idx_drone_telemetry_recorded_at',
    ]);
    expect(idx.find((i) => i.name === 'idx_drone_telemetry_recorded_at')?.def).toContain('USING brin');
    const names = await partitions();
    const today = dayStart(Date.now());
    // The template was migrated moments ago: today and the next 7 days (a run crossing
    // midnight UTC still has today + 6 ahead).
    for (let i = 0; i <= 6; i++) expect(names).toContain(partitionName(today + i * DAY));
    expect(names).toContain('drone_telemetry_default');
  });

  it('stores a reading 100 days old and one for a day without a partition in the default partition', async () => {
    const old = new Date(Date.now() - 100 * DAY);
    const gap = new Date(dayStart(Date.now()) - 10 * DAY + 3_600_000);
    await insertReading(old);
    await insertReading(gap);
    await insertReading(new Date());
    const p = await placement();
    expect(p.map((x) => x[0])).toEqual([
      'drone_telemetry_default',
      'drone_telemetry_default',
      partitionName(dayStart(Date.now())),
    ]);
  });
});

describe('the readers prune partitions', () => {
  it('droneDetail and droneBatteryHistory scan at most two day partitions (and the default)', async () => {
    // The real queries, captured as postgres.js sends them, then explained with their parameters.
    const seen: { query: string; params: unknown[] }[] = [];
    const spy = postgres(t.url, {
      max: 1,
      onnotice: () => {},
      debug: (_c, query, params) => seen.push({ query, params: params as unknown[] }),
    });
    try {
      const db = createDb(spy);
      await droneDetail(db, { droneId });
      await droneBatteryHistory(db, { droneId });
    } finally {
      await spy.end();
    }
    const readers = seen.filter((s) => s.query.includes('drone_telemetry'));
    expect(readers.length).toBe(3);
    const all = await partitions();
    expect(all.length).toBeGreaterThan(4);
    for (const r of readers) {
      const plan = await t.sql.unsafe(
        `explain (analyze, costs off, timing off, summary off) ${r.query}`,
        r.params as never[],
      );
      const text = plan.map((row) => String(Object.values(row)[0])).join('\n');
      const scanned = new Set([...text.matchAll(/on (drone_telemetry_\w+)/g)].map((m) => m[1]));
      expect(scanned.size, text).toBeGreaterThan(0);
      expect(scanned.size, text).toBeLessThanOrEqual(3);
    }
  });
});

describe('maintainTelemetryPartitions', () => {
  it('creates partitions ahead; moves default rows to new day partitions; purges expired; idempotent', async () => {
    const now = new Date();
    const today = dayStart(now.getTime());
    const gapDay = today - 10 * DAY;
    await insertReading(new Date(now.getTime() - 100 * DAY));
    await insertReading(new Date(gapDay + 3_600_000), 41);
    await insertReading(new Date(gapDay + 7_200_000), 42);
    // Housekeeping run 3 days from now: 3 more days ahead are due.
    const later = new Date(now.getTime() + 3 * DAY);
    const r = await maintainTelemetryPartitions(t.db, { retentionDays: 30, now: later });
    expect(r.created).toEqual([gapDay, today + 8 * DAY, today + 9 * DAY, today + 10 * DAY].map(partitionName));
    expect(r.movedFromDefault).toBe(2);
    expect(r.purgedFromDefault).toBe(1);
    expect(r.dropped).toEqual([]);
    expect(await placement()).toEqual([
      [partitionName(gapDay), new Date(gapDay + 3_600_000).toISOString()],
      [partitionName(gapDay), new Date(gapDay + 7_200_000).toISOString()],
    ]);
    // Ids and values survive the move.
    const [moved] = await t.sql<
      { n: number; b: string }[]
    >`select count(distinct id)::int as n, sum(battery_level)::text as b from drone_telemetry
      where drone_id = ${droneId}`;
    expect(moved).toEqual({ n: 2, b: '83.00' });
    const again = await maintainTelemetryPartitions(t.db, { retentionDays: 30, now: later });
    expect(again).toEqual({ created: [], dropped: [], movedFromDefault: 0, purgedFromDefault: 0 });
  });

  it('drops day partitions wholly past retention with DROP, never DELETE; the drone pages still answer', async () => {
    const now = new Date();
    const today = dayStart(now.getTime());
    await insertReading(new Date(now.getTime() - 60_000), 70);
    await t.sql`insert into drone_online_sessions (drone_id, started_at, ended_at)
      values (
        ${droneId},
        ${new Date(now.getTime() - 120_000).toISOString()}::timestamptz,
        ${now.toISOString()}::timestamptz
      )`;
    // A DELETE reaching today's partition would fail loudly.
    const todays = partitionName(today);
    await t.sql.unsafe(
      `create function refuse_delete() returns trigger language plpgsql as ` +
        `$$ begin raise exception 'DELETE on %', TG_TABLE_NAME; end $$`,
    );
    await t.sql.unsafe(
      `create trigger refuse_delete before delete on "${todays}" for each row execute function refuse_delete()`,
    );

    // 40 days on, with 30 days kept: every partition that ends 10 days from now or earlier goes.
    const later = new Date(now.getTime() + 40 * DAY);
    const before = await partitions();
    const r = await maintainTelemetryPartitions(t.db, { retentionDays: 30, now: later });
    const cutoff = later.getTime() - 30 * DAY;
    const expectedDropped = before.filter(
      (n) =>
        n.startsWith('drone_telemetry_p') &&
        Date.parse(`${n.slice(17, 21)}-${n.slice(21, 23)}-${n.slice(23, 25)}T00:00:00Z`) + DAY <= cutoff,
    );
    expect(r.dropped).toEqual(expectedDropped);
    expect(r.dropped).toContain(todays);
    const after = await partitions();
    expect(after).not.toContain(todays);
    for (const n of expectedDropped) expect(after).not.toContain(n);
    expect(r.created).toContain(partitionName(dayStart(later.getTime()) + 7 * DAY));
    expect(after).toContain(partitionName(dayStart(later.getTime()) + 7 * DAY));
    const [left] = await t.sql<
      { n: number }[]
    >`select count(*)::int as n from drone_telemetry where drone_id = ${droneId}`;
    expect(left?.n).toBe(0);

    // Readers of the history: the drone page and the map panel, with their days gone, answer
    // with what is left; the online session (what fleet utilization reads) is untouched.
    expect(await droneBatteryHistory(t.db, { droneId, now })).toEqual([]);
    expect((await droneDetail(t.db, { droneId })).battery).toEqual([]);
    expect((await droneDeletionImpact(t.db, droneId)).telemetry).toBe(0);
    const [s] = await t.sql<
      { n: number }[]
    >`select count(*)::int as n from drone_online_sessions where drone_id = ${droneId}`;
    expect(s?.n).toBe(1);
    // A late reading for a dropped day is still accepted (it waits in the default partition).
    await insertReading(new Date(now.getTime() - 30_000));
    expect((await placement()).map((p) => p[0])).toEqual(['drone_telemetry_default']);
  });

  it('is safe when two workers run it at once: one does the work, the other finds nothing left', async () => {
    const now = new Date();
    const gapDay = dayStart(now.getTime()) - 12 * DAY;
    await insertReading(new Date(gapDay + 1000));
    const later = new Date(now.getTime() + 60 * DAY);
    const [a, b] = await Promise.all([
      maintainTelemetryPartitions(t.db, { retentionDays: 90, now: later }),
      maintainTelemetryPartitions(t.db, { retentionDays: 90, now: later }),
    ]);
    const created = [...a.created, ...b.created];
    expect(new Set(created).size).toBe(created.length);
    expect(created).toContain(partitionName(gapDay));
    expect(a.movedFromDefault + b.movedFromDefault).toBe(1);
    expect([a.created.length, b.created.length]).toContain(0);
    expect((await placement()).map((p) => p[0])).toEqual([partitionName(gapDay)]);
  });
});

describe('the migration', () => {
  it('moves every existing reading into day partitions, keeping ids, and identity continues after them', async () => {
    const adminUrl = inject('pgAdminUrl');
    const name = `part_mig_${Date.now()}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const url = adminUrl.replace(/\/postgres$/, `/${name}`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-mig-'));
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      // Every migration before this one.
      cpSync(path.join(process.cwd(), 'drizzle'), dir, { recursive: true });
      const journalPath = path.join(dir, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
      const at = journal.entries.findIndex((e) => e.tag.endsWith('_telemetry_partitions'));
      expect(at).toBeGreaterThan(0);
      journal.entries = journal.entries.slice(0, at);
      writeFileSync(journalPath, JSON.stringify(journal));
      await migrate(createDb(sql), { migrationsFolder: dir });

      const [d] = await sql<
        { id: string }[]
      >`insert into drones (model, ip_address, status) values ('M', '10.9.0.2', 'idle') returning id`;
      const times = [200, 100, 3, 1, 0].map((days) => new Date(Date.now() - days * DAY - 1000).toISOString());
      for (const at of times)
        await sql`insert into drone_telemetry (drone_id, recorded_at, lat, lon, battery_level)
          values (${d!.id}, ${at}::timestamptz, 55.7, 37.6, 50)`;
      const before = await sql<
        { id: string; at: string }[]
      >`select id::text, to_json(recorded_at)#>>'{}' as at from drone_telemetry order by id`;
      expect(before.length).toBe(5);

      await runMigrations(url);

      const after = await sql<
        { id: string; at: string; part: string }[]
      >`select id::text, to_json(recorded_at)#>>'{}' as at, tableoid::regclass::text as part
        from drone_telemetry order by id`;
      expect(after.map((r) => [r.id, r.at])).toEqual(before.map((r) => [r.id, r.at]));
      expect(after.map((r) => r.part)).toEqual(times.map((at) => partitionName(dayStart(Date.parse(at)))));
      const [kind] = await sql<
        { kind: string }[]
      >`select relkind::text as kind from pg_class where oid = 'drone_telemetry'::regclass`;
      expect(kind?.kind).toBe('p');
      const [old] = await sql<
        { n: number }[]
      >`select count(*)::int as n from pg_class where relname like 'drone_telemetry_unpartitioned%'`;
      expect(old?.n).toBe(0);
      const [next] = await sql<
        { id: string }[]
      >`insert into drone_telemetry (drone_id, recorded_at, lat, lon, battery_level)
        values (${d!.id}, now(), 55.7, 37.6, 50) returning id::text`;
      expect(BigInt(next!.id)).toBeGreaterThan(BigInt(before[4]!.id));
      // The foreign key still cascades.
      await sql`delete from drones where id = ${d!.id}`;
      const [left] = await sql<{ n: number }[]>`select count(*)::int as n from drone_telemetry`;
      expect(left?.n).toBe(0);
    } finally {
      await sql.end();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
