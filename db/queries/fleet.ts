import 'server-only';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../index';

// The live map's drone data: compact rows so that thousands of drones fit in a small payload
// polled every second. Lockers come from listAutomatSummaries (db/queries/network.ts).

export type FleetDrone = {
  id: string;
  model: string;
  status: string;
  battery: number | null;
  lat: number | null;
  lon: number | null;
  heading: number | null;
  speed: number | null;
  lastSeenAt: string | null;
  /** Destination while on a delivery. */
  destLat: number | null;
  destLon: number | null;
  deliveryId: string | null;
};

export async function fleetDrones(db: DbOrTx): Promise<FleetDrone[]> {
  const rows = await db.execute<{
    id: string;
    model: string;
    status: string;
    battery: string | null;
    lat: number | null;
    lon: number | null;
    heading: number | null;
    speed: number | null;
    last_seen_at: string | null;
    dest: string | null;
    delivery_id: string | null;
  }>(sql`
    select d.id, d.model, d.status, d.battery_level as battery, d.last_lat as lat, d.last_lon as lon,
           d.heading_deg as heading, d.speed_mps as speed, d.last_seen_at,
           a.coordinates as dest, del.id as delivery_id
    from drones d
    left join deliveries del on del.drone_id = d.id and del.status in ('assigned', 'in_progress')
    left join parcel_automats a on a.id = del.parcel_automat_id
    order by d.id`);
  return rows.map((r) => {
    const [dLat, dLon] = r.dest ? r.dest.split(',').map(Number) : [null, null];
    return {
      id: r.id,
      model: r.model,
      status: r.status,
      battery: r.battery === null ? null : Number(r.battery),
      lat: r.lat,
      lon: r.lon,
      heading: r.heading,
      speed: r.speed,
      lastSeenAt: r.last_seen_at ? new Date(r.last_seen_at).toISOString() : null,
      destLat: dLat ?? null,
      destLon: dLon ?? null,
      deliveryId: r.delivery_id,
    };
  });
}

export async function droneExists(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from drones where id = ${id}`);
  return rows.length > 0;
}

export async function automatExists(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from parcel_automats where id = ${id}`);
  return rows.length > 0;
}

/** Both kinds of cell of one locker, for the map popup's grid. */
export async function automatCells(db: DbOrTx, automatId: string) {
  return db.execute<{ kind: 'internal' | 'external'; cell_number: number | null; status: string; height: string; length: string; width: string }>(sql`
    select 'external' as kind, cell_number, status, height, length, width from locker_cells_out where post_id = ${automatId}
    union all
    select 'internal' as kind, cell_number, status, height, length, width from locker_cells_internal where post_id = ${automatId}
    order by kind, cell_number`);
}

/**
 * The side panel: battery per minute (last hour), the trail (last 5 min) and the current job.
 * The upper bound on recorded_at changes no answer (readings are at most 5 minutes ahead of
 * the server's clock) but lets PostgreSQL skip the day partitions created ahead of time.
 */
export async function droneDetail(db: DbOrTx, droneId: string) {
  const [battery, trail, job] = await Promise.all([
    db.execute<{ minute: string; battery: string }>(sql`
      select date_trunc('minute', recorded_at) as minute, round(avg(battery_level), 1) as battery
      from drone_telemetry where drone_id = ${droneId} and recorded_at > now() - interval '60 minutes' and recorded_at <= now() + interval '5 minutes'
      group by 1 order by 1`),
    db.execute<{ lat: number; lon: number; recorded_at: string }>(sql`
      select lat, lon, recorded_at from (
        select lat, lon, recorded_at, row_number() over (order by recorded_at desc) as n
        from drone_telemetry where drone_id = ${droneId} and recorded_at > now() - interval '5 minutes' and recorded_at <= now() + interval '5 minutes'
      ) t where n % 2 = 1 order by recorded_at`),
    db.execute<{ delivery_id: string; delivery_status: string; order_id: string; order_status: string; good: string; customer: string | null; address: string }>(sql`
      select del.id as delivery_id, del.status as delivery_status, o.id as order_id, o.status as order_status,
             g.name as good, coalesce(u.email, u.phone_number) as customer, a.address
      from deliveries del join orders o on o.id = del.order_id join goods g on g.id = o.good_id
      join users u on u.id = o.user_id join parcel_automats a on a.id = del.parcel_automat_id
      where del.drone_id = ${droneId} and del.status in ('assigned', 'in_progress')
      limit 1`),
  ]);
  return {
    battery: battery.map((b) => ({ at: new Date(b.minute).toISOString(), level: Number(b.battery) })),
    trail: trail.map((p) => [p.lat, p.lon] as [number, number]),
    job: job[0] ?? null,
  };
}
