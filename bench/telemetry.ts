// npm run bench:telemetry — the cost and the payoff of the online-session rollup.
// On an embedded PostgreSQL 17 of its own (free port, temporary folder), in one run:
// 1. Ingest: recordTelemetry (reading + drone state + online session) against a baseline of
//    the bare minimum a telemetry write needs (lock the drone, insert the reading), one
//    reading per call, alternating A/B rounds so machine noise hits both alike.
// 2. Fleet utilization's online time: from drone_online_sessions (what the page reads) against
//    gaps-and-islands over every telemetry reading (what it would cost without the rollup).
import '../scripts/lib/dotenv';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql as dsql } from 'drizzle-orm';
import { createDb, createSql } from '@/db';
import { portIsFree, startEmbeddedPostgres } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { drones } from '@/db/schema';
import { createLogger } from '@/lib/logger';
import { recordTelemetry } from '@/lib/telemetry/record';
import { appendRunLogRow, describeMachine, machineInfo } from './lib/report';

const arg = (name: string, def: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const DRONES = arg('drones', 50);
const ROUNDS = arg('rounds', 6);
const HOURS = arg('hours', 2);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function freePort(from: number) {
  for (let p = from; p < from + 500; p++) if (await portIsFree(p)) return p;
  throw new Error('no free port');
}

const machine = machineInfo();
console.log(describeMachine(machine));
const dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-bench-'));
const pg = await startEmbeddedPostgres({
  dataDir: path.join(dir, 'pg'),
  port: await freePort(56100),
  database: 'bench',
  log: createLogger({ scope: 'bench-pg' }),
});
try {
  await runMigrations(pg.url);
  const sql = createSql(pg.url, 4);
  const db = createDb(sql);
  const ids = (
    await db
      .insert(drones)
      .values(
        Array.from({ length: DRONES }, (_, i) => ({
          model: 'Bench',
          ipAddress: `10.3.0.${i % 250}`,
          status: 'idle' as const,
        })),
      )
      .returning({ id: drones.id })
  ).map((d) => d.id);

  // 1. Ingest, one reading per call (drones post at 1 Hz, one reading each).
  let clock = Date.now() - 3_600_000;
  const reading = () => ({
    lat: 55.75 + Math.random() / 100,
    lon: 37.61 + Math.random() / 100,
    battery_level: 80,
    recorded_at: new Date((clock += 1000)).toISOString(),
  });
  const baseline = async (id: string) => {
    const r = reading();
    await db.transaction(async (tx) => {
      await tx.execute(dsql`select id from drones where id = ${id} for update`);
      await tx.execute(
        dsql`insert into drone_telemetry (drone_id, recorded_at, lat, lon, battery_level)
             values (${id}, ${r.recorded_at}::timestamptz, ${r.lat}, ${r.lon}, ${r.battery_level})`,
      );
    });
  };
  const full = (id: string) => recordTelemetry(db, { droneId: id, readings: [reading()], opts: { sessionGapS: 30 } });
  const timeRound = async (fn: (id: string) => Promise<unknown>) => {
    const t0 = performance.now();
    for (const id of ids) await fn(id);
    return (performance.now() - t0) / ids.length;
  };
  await timeRound(baseline); // warm-up
  await timeRound(full);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    a.push(await timeRound(baseline));
    b.push(await timeRound(full));
  }

  // 2. Online time for the fleet: HOURS of 1 Hz telemetry per drone, with a 5-minute gap each hour.
  await sql`truncate drone_telemetry, drone_online_sessions`;
  const start = new Date(Date.now() - HOURS * 3_600_000);
  for (const id of ids) {
    const times: string[] = [];
    for (let s = 0; s < HOURS * 3600; s++)
      if (s % 3600 < 3300) times.push(new Date(start.getTime() + s * 1000).toISOString());
    for (let i = 0; i < times.length; i += 100) {
      await recordTelemetry(db, {
        droneId: id,
        readings: times.slice(i, i + 100).map((t) => ({ lat: 55.75, lon: 37.61, battery_level: 80, recorded_at: t })),
        opts: { sessionGapS: 30 },
      });
    }
  }
  await sql`analyze`;
  const [{ readings, sessions }] = (await sql`select (select count(*)::int from drone_telemetry) as readings,
                      (select count(*)::int from drone_online_sessions) as sessions`) as unknown as [
    { readings: number; sessions: number },
  ];
  const from = start.toISOString();
  const to = new Date().toISOString();
  const fromSessions = () => sql`
    select drone_id, sum(upper(r) - lower(r)) as online from (
      select drone_id,
             unnest(range_agg(tstzrange(started_at, ended_at, '[)'))
                    * tstzmultirange(tstzrange(${from}::timestamptz, ${to}::timestamptz))) as r
      from drone_online_sessions where ended_at > ${from}::timestamptz and started_at < ${to}::timestamptz
      group by drone_id) s group by drone_id`;
  const fromReadings = () => sql`
    select drone_id,
           sum(next_at - recorded_at) filter (where next_at - recorded_at <= interval '30 seconds') as online from (
      select drone_id, recorded_at, lead(recorded_at) over (partition by drone_id order by recorded_at) as next_at
      from drone_telemetry where recorded_at >= ${from}::timestamptz and recorded_at < ${to}::timestamptz) t
    group by drone_id`;
  const time = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  await fromSessions();
  await fromReadings();
  const qa: number[] = [];
  const qb: number[] = [];
  for (let i = 0; i < 5; i++) {
    qa.push(await time(fromReadings));
    qb.push(await time(fromSessions));
  }
  const s1 = await fromSessions();
  const s2 = await fromReadings();
  const same =
    JSON.stringify(s1.map((r) => [r.drone_id, String(r.online)]).sort()) ===
    JSON.stringify(s2.map((r) => [r.drone_id, String(r.online)]).sort());
  await sql.end();

  const f = (x: number) => x.toFixed(2);
  console.log(`\nIngest, ${DRONES} drones x ${ROUNDS} rounds, one reading per call (median ms per call):`);
  console.log(`  baseline (lock drone + insert reading): ${f(median(a))} ms`);
  console.log(`  recordTelemetry (+ drone state + online session): ${f(median(b))} ms`);
  console.log(`  ratio: ${f(median(b) / median(a))}x`);
  console.log(`\nFleet online time over ${HOURS} h, ${readings} readings, ${sessions} sessions (median of 5, ms):`);
  console.log(`  from every reading (gaps and islands): ${f(median(qa))} ms`);
  console.log(`  from drone_online_sessions: ${f(median(qb))} ms`);
  console.log(`  ratio: ${f(median(qa) / median(qb))}x faster; same answer: ${same}`);
  appendRunLogRow(
    'telemetry',
    machine,
    `ingest ${DRONES} drones x ${ROUNDS} rounds: baseline ${f(median(a))} ms, ` +
      `recordTelemetry ${f(median(b))} ms (${f(median(b) / median(a))}x); ` +
      `online time over ${HOURS} h: readings ${f(median(qa))} ms, sessions ${f(median(qb))} ms ` +
      `(${f(median(qa) / median(qb))}x faster, same answer: ${same})`,
  );
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
