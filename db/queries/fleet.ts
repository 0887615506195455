import 'server-only';
import { sql } from 'drizzle-orm';
import type { Sql } from 'postgres';
import type { DbOrTx } from '../index';
import { DRONE_HELD_DELIVERY_STATUSES, sqlList, sqlLiterals } from '../schema';

// The live map's drone data: thousands of drones polled every second. Every value arrives as
// the JSON number or string the map is sent (floats, last_seen as epoch ms), so the feed builds
// each drone's tuple text without Date parsing or numeric strings, and the rows are read as
// arrays (postgres.js values()): at 2,000 drones drizzle's per-row mapping cost as much as the
// query. No ORDER BY: the feed keeps its own order. Lockers: listAutomatSummaries (network.ts).

/**
 * [id, last_seen_at in epoch ms (truncated, as Date would), status, battery, lat, lon, heading, speed, destLat,
 * destLon, model, callSign]
 */
export type FleetPosition = [
  string,
  number | null,
  string,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  string,
  string,
];

/** The set as SQL literals for postgres.js, where this hot query is written. */
const DRONE_HELD_SQL = sqlLiterals(DRONE_HELD_DELIVERY_STATUSES);

export async function fleetPositions(client: Sql): Promise<FleetPosition[]> {
  const rows = await client`
    select d.id, floor(extract(epoch from d.last_seen_at) * 1000)::float8, d.status, d.battery_level::float8,
           d.last_lat, d.last_lon, d.heading_deg, d.speed_mps,
           split_part(a.coordinates, ',', 1)::float8, split_part(a.coordinates, ',', 2)::float8, d.model, d.call_sign
    from drones d
    left join deliveries del on del.drone_id = d.id and del.status in (${client.unsafe(DRONE_HELD_SQL)})
    left join parcel_automats a on a.id = del.parcel_automat_id`.values();
  return rows as unknown as FleetPosition[];
}

export async function droneExists(db: DbOrTx, { id }: { id: string }): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from drones where id = ${id}`);
  return rows.length > 0;
}

export async function automatExists(db: DbOrTx, { id }: { id: string }): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from parcel_automats where id = ${id}`);
  return rows.length > 0;
}

/** Both kinds of cell of one locker, for the map popup's grid. */
export async function automatCells(db: DbOrTx, { automatId }: { automatId: string }) {
  return db.execute<{
    kind: 'internal' | 'external';
    cell_number: number | null;
    status: string;
    height: string;
    length: string;
    width: string;
  }>(sql`
    select 'external' as kind, cell_number, status, height, length, width
      from locker_cells_out where post_id = ${automatId}
    union all
    select 'internal' as kind, cell_number, status, height, length, width
      from locker_cells_internal where post_id = ${automatId}
    order by kind, cell_number`);
}

/**
 * The side panel: battery per minute (last hour), the trail (last 5 min) and the current job.
 * The upper bound on recorded_at changes no answer (readings are at most 5 minutes ahead of
 * the server's clock) but lets PostgreSQL skip the day partitions created ahead of time.
 */
export async function droneDetail(db: DbOrTx, { droneId }: { droneId: string }) {
  const [battery, trail, job] = await Promise.all([
    db.execute<{ minute: string; battery: string }>(sql`
      select date_trunc('minute', recorded_at) as minute, round(avg(battery_level), 1) as battery
      from drone_telemetry
      where drone_id = ${droneId}
        and recorded_at > now() - interval '60 minutes' and recorded_at <= now() + interval '5 minutes'
      group by 1 order by 1`),
    db.execute<{ lat: number; lon: number; recorded_at: string }>(sql`
      select lat, lon, recorded_at from (
        select lat, lon, recorded_at, row_number() over (order by recorded_at desc) as n
        from drone_telemetry
        where drone_id = ${droneId}
          and recorded_at > now() - interval '5 minutes' and recorded_at <= now() + interval '5 minutes'
      ) t where n % 2 = 1 order by recorded_at`),
    db.execute<{
      delivery_id: string;
      delivery_status: string;
      order_id: string;
      order_status: string;
      good: string;
      customer: string | null;
      address: string;
    }>(sql`
      select del.id as delivery_id, del.status as delivery_status, o.id as order_id, o.status as order_status,
             g.name as good, coalesce(u.email, u.phone_number) as customer, a.address
      from deliveries del join orders o on o.id = del.order_id join goods g on g.id = o.good_id
      join users u on u.id = o.user_id join parcel_automats a on a.id = del.parcel_automat_id
      where del.drone_id = ${droneId} and del.status in (${sqlList(DRONE_HELD_DELIVERY_STATUSES)})
      limit 1`),
  ]);
  return {
    battery: battery.map((b) => ({ at: new Date(b.minute).toISOString(), level: Number(b.battery) })),
    trail: trail.map((p) => [p.lat, p.lon] as [number, number]),
    job: job[0] ?? null,
  };
}
