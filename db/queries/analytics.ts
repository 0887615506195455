import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../index';
import { ACTIVE_DELIVERY_STATUSES, lockerCellsInternal, lockerCellsOut, sqlList } from '../schema';
import { tsParam } from '../sql';

// Admin analytics. Every number is aggregated in PostgreSQL; nothing here loops over rows.
//
// The period: the last `days` UTC calendar days, today included, from UTC midnight of the
// first day up to `now`. Days are UTC days whatever the server's or the session's time zone
// (timestamps are converted with AT TIME ZONE 'UTC' before they are cut into days).

export type PeriodInput = { days: number; now?: Date };
export type Period = { days: number; from: Date; to: Date };

const DAY_MS = 86_400_000;

/** UTC midnight `days - 1` days before `now`'s UTC day, up to `now`. */
export function analyticsPeriod({ days, now = new Date() }: PeriodInput): Period {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { days, from: new Date(today - (days - 1) * DAY_MS), to: now };
}

/** Sum of the lengths, in seconds, of the ranges in a tstzmultirange (0 when empty). */
const seconds = (multirange: SQL) =>
  sql`(select coalesce(sum(extract(epoch from upper(r) - lower(r))), 0)::float8 from unnest(${multirange}) as r)`;

export type OrdersDay = { day: string; completed: number; cancelled: number; open: number };

/**
 * Orders placed on each UTC day of the period, by their status now: collected (completed),
 * cancelled, or still open (pending, processing, in a locker). Days without orders are rows of
 * zeros (generate_series), oldest day first.
 */
export async function ordersPerDay(db: DbOrTx, input: PeriodInput): Promise<OrdersDay[]> {
  const { from, to } = analyticsPeriod(input);
  const rows = await db.execute<OrdersDay>(sql`
    with per_day as (
      select (created_at at time zone 'UTC')::date as day,
             count(*) filter (where status = 'completed')::int as completed,
             count(*) filter (where status = 'cancelled')::int as cancelled,
             count(*) filter (where status not in ('completed', 'cancelled'))::int as open
        from orders
       where created_at >= ${tsParam(from)} and created_at <= ${tsParam(to)}
       group by 1
    )
    select to_char(s.day, 'YYYY-MM-DD') as day,
           coalesce(p.completed, 0) as completed,
           coalesce(p.cancelled, 0) as cancelled,
           coalesce(p.open, 0) as open
      from generate_series(
             (${tsParam(from)} at time zone 'UTC')::date, (${tsParam(to)} at time zone 'UTC')::date, interval '1 day'
           ) as s(day)
      left join per_day p on p.day = s.day::date
     order by s.day`);
  return rows.map((r) => ({ day: r.day, completed: r.completed, cancelled: r.cancelled, open: r.open }));
}

export type DurationStats = { count: number; avgS: number | null; p90S: number | null };
export type DeliveryDurations = { delivery: DurationStats; orderToPickup: DurationStats };

/**
 * Two durations, in seconds, with their mean and 90th percentile (percentile_cont, interpolated):
 * - delivery: completed_at - started_at of deliveries completed in the period, the spec's
 *   "delivery statistics" query (shared/seeds/skypost-database.md). In this app started_at is
 *   the drone's "started" report and completed_at the locker's transfer to the pickup cell.
 * - order to pickup: from the order's created_at to its 'collected' timeline event
 *   (delivery_events, entity 'order'), for orders collected in the period.
 */
export async function deliveryDurations(db: DbOrTx, input: PeriodInput): Promise<DeliveryDurations> {
  const { from, to } = analyticsPeriod(input);
  const [row] = await db.execute<{
    delivery_count: number;
    delivery_avg: number | null;
    delivery_p90: number | null;
    pickup_count: number;
    pickup_avg: number | null;
    pickup_p90: number | null;
  }>(sql`
    with flights as (
      select extract(epoch from completed_at - started_at)::float8 as s
        from deliveries
       where completed_at is not null and started_at is not null
         and completed_at >= ${tsParam(from)} and completed_at <= ${tsParam(to)}
    ),
    collected as (
      select order_id, min(created_at) as at
        from delivery_events
       where entity = 'order' and event = 'collected'
         and created_at >= ${tsParam(from)} and created_at <= ${tsParam(to)}
       group by order_id
    ),
    pickups as (
      select extract(epoch from c.at - o.created_at)::float8 as s from collected c join orders o on o.id = c.order_id
    )
    select (select count(*)::int from flights) as delivery_count,
           (select avg(s) from flights) as delivery_avg,
           (select percentile_cont(0.9) within group (order by s) from flights) as delivery_p90,
           (select count(*)::int from pickups) as pickup_count,
           (select avg(s) from pickups) as pickup_avg,
           (select percentile_cont(0.9) within group (order by s) from pickups) as pickup_p90`);
  return {
    delivery: { count: row?.delivery_count ?? 0, avgS: row?.delivery_avg ?? null, p90S: row?.delivery_p90 ?? null },
    orderToPickup: { count: row?.pickup_count ?? 0, avgS: row?.pickup_avg ?? null, p90S: row?.pickup_p90 ?? null },
  };
}

export type DroneUtilization = {
  droneId: string;
  callSign: string;
  model: string;
  ipAddress: string;
  onlineS: number;
  busyS: number;
  utilization: number | null;
};
export type FleetUtilization = {
  drones: DroneUtilization[];
  overall: { onlineS: number; busyS: number; utilization: number | null };
};

/**
 * Busy time over online time, per drone and for the fleet (total busy / total online), within
 * the period.
 * - Online: the drone's online sessions (drone_online_sessions, kept by recordTelemetry):
 *   consecutive readings at most DRONE_OFFLINE_TIMEOUT_S apart are online time between them;
 *   a longer silence is offline. A lone reading adds nothing. Reading sessions rather than
 *   telemetry keeps this a few rows per drone and day at any fleet size.
 * - Busy: from a delivery's creation (the drone is assigned and turns busy) until the drone is
 *   released: its 'dropped' event, the failure (updated_at of a failed delivery), else
 *   completed_at / updated_at; a delivery still active counts until `now`.
 * - Only busy time while online counts, so utilization is between 0 and 1. Overlapping
 *   intervals are merged (range_agg) and everything is clipped to the period.
 * A drone with no online time in the period has utilization null.
 */
export async function fleetUtilization(db: DbOrTx, input: PeriodInput): Promise<FleetUtilization> {
  const { from, to } = analyticsPeriod(input);
  const rows = await db.execute<{
    drone_id: string;
    call_sign: string;
    model: string;
    ip_address: string;
    online_s: number;
    busy_s: number;
    total_online_s: number;
    total_busy_s: number;
  }>(sql`
    with period as (
      select tstzmultirange(tstzrange(${tsParam(from)}, ${tsParam(to)}, '[)')) as p
    ),
    online as (
      select drone_id, range_agg(tstzrange(started_at, ended_at, '[)')) * (select p from period) as mr
        from drone_online_sessions
       where ended_at > ${tsParam(from)} and started_at < ${tsParam(to)}
       group by drone_id
    ),
    spans as (
      select d.drone_id, d.created_at as start_at,
             case
               when d.status in (${sqlList(ACTIVE_DELIVERY_STATUSES)}) then ${tsParam(to)}
               when d.status = 'failed' then d.updated_at
               else coalesce(
                 (select min(e.created_at) from delivery_events e where e.delivery_id = d.id and e.event = 'dropped'),
                 d.completed_at,
                 d.updated_at)
             end as end_at
        from deliveries d
       where d.drone_id is not null and d.created_at < ${tsParam(to)}
         -- A delivery ends no later than its last change (a day's margin for app/database
         -- clock skew), so older ones cannot overlap the period: skip them via the index.
         and (d.status in (${sqlList(ACTIVE_DELIVERY_STATUSES)}) or d.updated_at > ${tsParam(from)} - interval '1 day')
    ),
    busy as (
      select drone_id, range_agg(tstzrange(start_at, greatest(start_at, end_at), '[)')) as mr
        from spans
       where end_at > ${tsParam(from)}
       group by drone_id
    ),
    per_drone as (
      select dr.id as drone_id, dr.call_sign, dr.model, dr.ip_address,
             ${seconds(sql`o.mr`)} as online_s,
             ${seconds(sql`coalesce(o.mr * b.mr, '{}'::tstzmultirange)`)} as busy_s
        from drones dr
        left join online o on o.drone_id = dr.id
        left join busy b on b.drone_id = dr.id
    )
    select drone_id, call_sign, model, ip_address, online_s, busy_s,
           sum(online_s) over ()::float8 as total_online_s,
           sum(busy_s) over ()::float8 as total_busy_s
      from per_drone
     order by busy_s / nullif(online_s, 0) desc nulls last, online_s desc, call_sign, drone_id`);
  const ratio = (busy: number, online: number) => (online > 0 ? busy / online : null);
  const onlineS = rows[0]?.total_online_s ?? 0;
  const busyS = rows[0]?.total_busy_s ?? 0;
  return {
    drones: rows.map((r) => ({
      droneId: r.drone_id,
      callSign: r.call_sign,
      model: r.model,
      ipAddress: r.ip_address,
      onlineS: r.online_s,
      busyS: r.busy_s,
      utilization: ratio(r.busy_s, r.online_s),
    })),
    overall: { onlineS, busyS, utilization: ratio(busyS, onlineS) },
  };
}

/** Cells by state now; lib/cell-metric.ts turns them into the one metric (free of those in service). */
export type CellCounts = { total: number; available: number; occupied: number; reserved: number; maintenance: number };
export type AutomatCells = {
  automatId: string;
  city: string;
  address: string;
  isWorking: boolean;
  external: CellCounts;
  internal: CellCounts;
};
export type CellUtilization = { automats: AutomatCells[]; total: { external: CellCounts; internal: CellCounts } };

/**
 * Cells by state now, per locker and overall (archived lockers left out), for the pickup
 * (external) and drop (internal) cells separately. Not tied to the period: the table holds only the present.
 */
export async function cellUtilization(db: DbOrTx): Promise<CellUtilization> {
  const counts = (table: typeof lockerCellsOut | typeof lockerCellsInternal) => sql`
    select post_id,
           count(*)::int as total,
           count(*) filter (where status = 'occupied')::int as occupied,
           count(*) filter (where status = 'reserved')::int as reserved,
           count(*) filter (where status = 'maintenance')::int as maintenance
      from ${table} group by post_id`;
  type Row = {
    automat_id: string | null;
    city: string;
    address: string;
    is_working: boolean;
    ext_total: number;
    ext_occupied: number;
    ext_reserved: number;
    ext_maintenance: number;
    int_total: number;
    int_occupied: number;
    int_reserved: number;
    int_maintenance: number;
  };
  // One row per locker, then the network's total (automat_id null).
  const rows = await db.execute<Row>(sql`
    with ext as (${counts(lockerCellsOut)}),
         inn as (${counts(lockerCellsInternal)}),
         per_automat as (
           select a.id as automat_id, a.city, a.address, a.is_working,
                  coalesce(ext.total, 0) as ext_total, coalesce(ext.occupied, 0) as ext_occupied,
                  coalesce(ext.reserved, 0) as ext_reserved, coalesce(ext.maintenance, 0) as ext_maintenance,
                  coalesce(inn.total, 0) as int_total, coalesce(inn.occupied, 0) as int_occupied,
                  coalesce(inn.reserved, 0) as int_reserved, coalesce(inn.maintenance, 0) as int_maintenance
             from parcel_automats a
             left join ext on ext.post_id = a.id
             left join inn on inn.post_id = a.id
            where a.archived_at is null
         )
    select automat_id, city, address, is_working, ext_total, ext_occupied, ext_reserved, ext_maintenance,
           int_total, int_occupied, int_reserved, int_maintenance
      from (
        select *, 0 as part from per_automat
        union all
        select null, '', '', true,
               coalesce(sum(ext_total), 0)::int, coalesce(sum(ext_occupied), 0)::int,
               coalesce(sum(ext_reserved), 0)::int, coalesce(sum(ext_maintenance), 0)::int,
               coalesce(sum(int_total), 0)::int, coalesce(sum(int_occupied), 0)::int,
               coalesce(sum(int_reserved), 0)::int, coalesce(sum(int_maintenance), 0)::int,
               1
          from per_automat
      ) x
     order by part, city, address, automat_id`);
  const cells = ({
    total,
    occupied,
    reserved,
    maintenance,
  }: {
    total: number;
    occupied: number;
    reserved: number;
    maintenance: number;
  }): CellCounts => ({
    total,
    available: total - occupied - reserved - maintenance,
    occupied,
    reserved,
    maintenance,
  });
  const split = (r: Row) => ({
    external: cells({
      total: r.ext_total,
      occupied: r.ext_occupied,
      reserved: r.ext_reserved,
      maintenance: r.ext_maintenance,
    }),
    internal: cells({
      total: r.int_total,
      occupied: r.int_occupied,
      reserved: r.int_reserved,
      maintenance: r.int_maintenance,
    }),
  });
  const totalRow = rows.find((r) => r.automat_id === null);
  return {
    automats: rows.flatMap((r) =>
      r.automat_id === null
        ? []
        : [{ automatId: r.automat_id, city: r.city, address: r.address, isWorking: r.is_working, ...split(r) }],
    ),
    total: totalRow
      ? split(totalRow)
      : {
          external: cells({ total: 0, occupied: 0, reserved: 0, maintenance: 0 }),
          internal: cells({ total: 0, occupied: 0, reserved: 0, maintenance: 0 }),
        },
  };
}

export type FailureReason = { reason: string; count: number };
export type FailureReasons = { reasons: FailureReason[]; failed: number; other: number };

/**
 * Failed deliveries of the period (failed at updated_at: a failed delivery is final and its
 * row is not touched again) grouped by reason, most frequent first, top `limit`. Reasons that
 * differ only in case or surrounding spaces are one group, shown in their most common spelling.
 * `failed` counts every failed delivery of the period; `other` those outside the top `limit`.
 */
export async function failureReasons(db: DbOrTx, input: PeriodInput & { limit: number }): Promise<FailureReasons> {
  const { from, to } = analyticsPeriod(input);
  const rows = await db.execute<{ reason: string; n: number; failed: number }>(sql`
    select mode() within group (order by btrim(failure_reason)) as reason,
           count(*)::int as n,
           sum(count(*)) over ()::int as failed
      from deliveries
     where status = 'failed' and updated_at >= ${tsParam(from)} and updated_at <= ${tsParam(to)}
     group by lower(btrim(failure_reason))
     order by n desc, lower(btrim(failure_reason))
     limit ${input.limit}`);
  const failed = rows[0]?.failed ?? 0;
  const reasons = rows.map((r) => ({ reason: r.reason, count: r.n }));
  return { reasons, failed, other: failed - reasons.reduce((n, r) => n + r.count, 0) };
}
