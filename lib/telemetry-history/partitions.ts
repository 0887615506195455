import { sql } from 'drizzle-orm';
import type { Db } from '@/db';

/**
 * Housekeeping of drone_telemetry's day partitions (see drizzle/0014_telemetry_partitions.sql).
 * Partitions cover one UTC day each and are named drone_telemetry_pYYYYMMDD; readings for a day
 * without one land in drone_telemetry_default, so an insert never fails for want of a partition.
 * Retention drops whole partitions: no DELETE, no dead tuples, done in milliseconds.
 */

export const TELEMETRY_PARENT = 'drone_telemetry';
export const TELEMETRY_DEFAULT_PARTITION = 'drone_telemetry_default';
const NAME = /^drone_telemetry_p(\d{4})(\d{2})(\d{2})$/;
const DAY_MS = 86_400_000;
// Any constant distinct from the others in the code base (migrations use 727274).
const HOUSEKEEPING_LOCK = 727_275;

export type PartitionHousekeeping = {
  /** Partitions created (ahead of time, or for days that had readings in the default). */
  created: string[];
  /** Partitions dropped because their whole day is past the retention. */
  dropped: string[];
  /** Readings moved from the default partition into the day partitions just created. */
  movedFromDefault: number;
  /** Readings in the default partition older than the retention, removed. */
  purgedFromDefault: number;
};

/** Midnight UTC of the day holding t, in ms. */
const dayStart = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;

export function partitionName(dayMs: number): string {
  return `drone_telemetry_p${new Date(dayMs).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The UTC day a partition name covers (ms), or null for a name housekeeping did not make. */
export function partitionDay(name: string): number | null {
  const m = NAME.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Creates the partitions for today and the next `aheadDays` days, gives every day that has
 * readings in the default partition (within the retention) its own partition and moves those
 * readings there, drops the partitions whose whole day is older than `retentionDays`, and
 * removes default-partition readings older than that. One transaction under an advisory lock,
 * so workers running it at once take turns and the later ones find nothing left to do.
 */
export async function maintainTelemetryPartitions(
  db: Db,
  { retentionDays, aheadDays = 7, now = new Date() }: { retentionDays: number; aheadDays?: number; now?: Date },
): Promise<PartitionHousekeeping> {
  const cutoff = now.getTime() - retentionDays * DAY_MS;
  const today = dayStart(now.getTime());
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${HOUSEKEEPING_LOCK})`);
    // DDL on a partitioned table needs the parent's lock: waiting behind a long reader must
    // not queue every telemetry insert behind us. A timeout fails this round; the next retries.
    // Set after the advisory lock, which may rightly wait for another worker's whole run.
    await tx.execute(sql`set local lock_timeout = '5s'`);

    const parts = await tx.execute<{ name: string }>(sql`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = ${TELEMETRY_PARENT}::regclass`);
    const existing = new Map<number, string>();
    for (const p of parts) {
      const day = partitionDay(p.name);
      if (day !== null) existing.set(day, p.name);
    }

    const defaultDays = await tx.execute<{ day: string }>(sql`
      select distinct to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD') as day
      from ${sql.identifier(TELEMETRY_DEFAULT_PARTITION)} where recorded_at >= ${iso(cutoff)}::timestamptz`);
    const fromDefault = new Set(defaultDays.map((r) => Date.parse(`${r.day}T00:00:00Z`)));

    const wanted = new Set<number>(fromDefault);
    for (let i = 0; i <= aheadDays; i++) wanted.add(today + i * DAY_MS);
    const toCreate = [...wanted].filter((d) => !existing.has(d) && d + DAY_MS > cutoff).sort((a, b) => a - b);
    const needMove = toCreate.filter((d) => fromDefault.has(d));

    // PostgreSQL refuses a new partition whose range has rows in the default partition, so
    // when there are such rows the default is detached while its rows are moved, then put back.
    if (needMove.length)
      await tx.execute(
        sql`alter table ${sql.identifier(TELEMETRY_PARENT)}
          detach partition ${sql.identifier(TELEMETRY_DEFAULT_PARTITION)}`,
      );
    for (const d of toCreate) {
      await tx.execute(sql`create table ${sql.identifier(partitionName(d))}
        partition of ${sql.identifier(TELEMETRY_PARENT)}
        for values from (${sql.raw(`'${iso(d)}'`)}) to (${sql.raw(`'${iso(d + DAY_MS)}'`)})`);
    }
    let movedFromDefault = 0;
    if (needMove.length) {
      const ranges = sql.join(
        needMove.map(
          (d) => sql`(recorded_at >= ${iso(d)}::timestamptz and recorded_at < ${iso(d + DAY_MS)}::timestamptz)`,
        ),
        sql` or `,
      );
      const moved = await tx.execute<{ n: number }>(sql`
        with gone as (delete from ${sql.identifier(TELEMETRY_DEFAULT_PARTITION)} where ${ranges} returning *),
        put as (
          insert into ${sql.identifier(TELEMETRY_PARENT)}
            (id, drone_id, recorded_at, received_at, lat, lon, altitude_m, heading_deg, speed_mps,
             battery_level, status)
            overriding system value
          select id, drone_id, recorded_at, received_at, lat, lon, altitude_m, heading_deg, speed_mps,
                 battery_level, status
            from gone
          returning 1)
        select count(*)::int as n from put`);
      movedFromDefault = moved[0]?.n ?? 0;
      await tx.execute(
        sql`alter table ${sql.identifier(TELEMETRY_PARENT)}
          attach partition ${sql.identifier(TELEMETRY_DEFAULT_PARTITION)} default`,
      );
    }

    const dropped: string[] = [];
    for (const [day, name] of [...existing].sort((a, b) => a[0] - b[0])) {
      if (day + DAY_MS > cutoff) continue;
      await tx.execute(sql`drop table ${sql.identifier(name)}`);
      dropped.push(name);
    }
    // Readings that never had a partition and are now past the retention: the default holds
    // few rows (housekeeping empties it of everything newer), so this DELETE stays small.
    const purged = await tx.execute<{ n: number }>(sql`
      with gone as (
        delete from ${sql.identifier(TELEMETRY_DEFAULT_PARTITION)}
         where recorded_at < ${iso(cutoff)}::timestamptz returning 1
      )
      select count(*)::int as n from gone`);

    return { created: toCreate.map(partitionName), dropped, movedFromDefault, purgedFromDefault: purged[0]?.n ?? 0 };
  });
}
