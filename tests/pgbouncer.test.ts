import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { sql as dsql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createSql } from '@/db';
import { drones } from '@/db/schema';
import { portIsFree } from '@/db/embedded';
import { EnvError, loadEnv } from '@/env';
import { createOrder } from '@/lib/orders/order-flow';
import { ensurePgbouncer, startPgbouncer, type PgBouncer } from '../bench/lib/pgbouncer';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';
import { killLeftoverWorkers, spawnWorker, waitForLog, waitUntil, workerOutputs } from './helpers/worker-process';

// Running behind PgBouncer in transaction pooling: DATABASE_PREPARE=false turns off named
// prepared statements, and DATABASE_DIRECT_URL carries what a pooler cannot (LISTEN,
// migrations). Checked against a real PgBouncer (Debian's, installed when missing).

const BASE = { DATABASE_URL: 'postgres://u:p@127.0.0.1:6432/app' };

describe('DATABASE_DIRECT_URL and DATABASE_PREPARE', () => {
  it('parse, with prepared statements on and no direct URL by default', () => {
    const d = loadEnv(BASE);
    expect(d.DATABASE_PREPARE).toBe(true);
    expect(d.DATABASE_DIRECT_URL).toBeUndefined();
    const e = loadEnv({ ...BASE, DATABASE_DIRECT_URL: 'postgres://u:p@127.0.0.1:5432/app', DATABASE_PREPARE: 'false' });
    expect(e.DATABASE_PREPARE).toBe(false);
    expect(e.DATABASE_DIRECT_URL).toBe('postgres://u:p@127.0.0.1:5432/app');
    expect(loadEnv({ ...BASE, DATABASE_PREPARE: 'off' }).DATABASE_PREPARE).toBe(false);
  });

  it('refuse bad values, and a direct URL without DATABASE_URL', () => {
    expect(() => loadEnv({ ...BASE, DATABASE_PREPARE: 'maybe' })).toThrow(/DATABASE_PREPARE/);
    expect(() => loadEnv({ ...BASE, DATABASE_DIRECT_URL: 'not a url' })).toThrow(/DATABASE_DIRECT_URL/);
    expect(() => loadEnv({ DATABASE_DIRECT_URL: 'postgres://u:p@127.0.0.1:5432/app' })).toThrow(EnvError);
  });

  it('createSql passes prepare through to postgres.js (on unless turned off)', async () => {
    const on = createSql(BASE.DATABASE_URL, 1);
    const off = createSql(BASE.DATABASE_URL, 1, { prepare: false });
    expect(on.options.prepare).toBe(true);
    expect(off.options.prepare).toBe(false);
    await Promise.all([on.end(), off.end()]);
  });
});

describe('behind a real PgBouncer in transaction pooling', () => {
  let t: TestDatabase;
  let bouncer: PgBouncer;
  // Server connections log in as their own role, so pg_stat_activity tells pooled from direct.
  const poolRole = { name: `pool_${randomBytes(4).toString('hex')}`, password: randomBytes(12).toString('hex') };
  let admin: postgres.Sql;

  beforeAll(async () => {
    const problem = ensurePgbouncer((l) => process.stdout.write(`${l}\n`));
    if (problem) throw new Error(problem);
    t = await createTestDatabase();
    admin = postgres(t.url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create role ${poolRole.name} login superuser password '${poolRole.password}'`);
    let port = 6000 + Math.floor(Math.random() * 3000);
    while (!(await portIsFree(port))) port++;
    bouncer = await startPgbouncer({ upstreamUrl: t.url, port, poolSize: 2, serverUser: poolRole });
  }, 180_000);

  afterAll(async () => {
    await killLeftoverWorkers();
    await bouncer?.stop();
    await admin?.unsafe(`drop role if exists ${poolRole.name}`).catch(() => {});
    await admin?.end();
    await t?.drop();
  });

  it('with prepare off, parameterised queries and transactions of many clients use 2 server connections', async () => {
    const sql = createSql(bouncer.url, 12, { prepare: false });
    const db = createDb(sql);
    try {
      const results = await Promise.all(
        Array.from({ length: 300 }, async (_, i) => {
          if (i % 3 === 0) return (await sql<{ n: number }[]>`select ${i}::int + 1 as n`)[0]!.n - 1;
          if (i % 3 === 1) return (await sql<{ n: number }[]>`select ${i}::int as n, ${'x'}::text as s`)[0]!.n;
          return db.transaction(async (tx) => {
            const [r] = await tx.execute<{ n: number }>(dsql`select ${i}::int as n`);
            await tx.execute(dsql`select pg_sleep(0.001)`);
            return Number(r!.n);
          });
        }),
      );
      expect(results).toEqual(Array.from({ length: 300 }, (_, i) => i));
      const [pooled] = await admin`select count(*)::int as n from pg_stat_activity where usename = ${poolRole.name}`;
      expect(pooled!.n).toBeGreaterThan(0);
      expect(pooled!.n).toBeLessThanOrEqual(2);
    } finally {
      await sql.end({ timeout: 5 });
    }
  }, 60_000);

  it('a worker given pooler and direct URLs queries through PgBouncer, LISTENs directly, wakes on NOTIFY', async () => {
    const user = await makeUser(t.db);
    const good = await makeGood(t.db);
    const automat = await makeAutomat(t.db, {
      coordinates: '55.7558,37.6173',
      external: [{ count: 2 }],
      internal: [{ count: 2 }],
    });
    const [d] = await t.db
      .insert(drones)
      .values({
        model: 'Clover 4',
        ipAddress: '10.9.0.1',
        batteryLevel: 90,
        status: 'idle',
        lastLat: 55.7658,
        lastLon: 37.6173,
        positionRecordedAt: new Date(),
        lastSeenAt: new Date(),
      })
      .returning({ id: drones.id });

    // The sweep is a minute: only the NOTIFY, heard on the direct LISTEN, can wake it in time.
    const worker = spawnWorker('worker-pgbouncer', {
      DATABASE_URL: bouncer.url,
      DATABASE_DIRECT_URL: t.url,
      DATABASE_PREPARE: 'false',
      WORKER_SWEEP_MS: '60000',
    });
    await waitForLog(worker, 'Order worker started', 30_000);
    await new Promise((r) => setTimeout(r, 500));
    const listeners = await admin<{ usename: string }[]>`
      select usename from pg_stat_activity
      where datname = current_database() and application_name in ('skypost-worker-listen', 'skypost-notify-listen')`;
    const direct = decodeURIComponent(new URL(t.url).username);
    expect(
      listeners.map((l) => l.usename),
      workerOutputs([worker]),
    ).toEqual([direct, direct]);

    const order = await createOrder(
      t.db,
      { userId: user.id, goodId: good.id, automatId: automat.id },
      { actor: { type: 'customer', id: user.id } },
    );
    await waitUntil(
      async () => (await t.sql`select 1 from orders where id = ${order.id} and status = 'processing'`).length > 0,
      {
        ms: 5_000,
        what: 'the new order to be assigned after its NOTIFY',
        workers: [worker],
        intervalMs: 25,
      },
    );
    const [delivery] = await t.sql`select drone_id, status from deliveries where order_id = ${order.id}`;
    expect(delivery).toEqual({ drone_id: d!.id, status: 'assigned' });
    // The claim itself went through PgBouncer: its server connections are the pool role's.
    const [pooled] = await admin`select count(*)::int as n from pg_stat_activity
      where usename = ${poolRole.name} and datname = current_database()`;
    expect(pooled!.n).toBeGreaterThan(0);
    expect(worker.logs().filter((l) => l.level === 'error')).toEqual([]);
  }, 60_000);
});
