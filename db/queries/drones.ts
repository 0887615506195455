import 'server-only';
import { and, desc, eq, ilike, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../index';
import { likeContains } from '../sql';
import { deliveries, drones, goods, orders, parcelAutomats, type DroneStatus } from '../schema';

// Drone management and history (admin). The live map has its own compact queries (fleet.ts).

/**
 * `moving` narrows to drones whose latest reading (at most maxAgeMs old) is at least minSpeedMps
 * fast (is: true), or to the others (is: false): with status "idle", that is the derived
 * "returning" state of lib/admin/drone-state.ts, and plain idle.
 */
export type AdminDroneFilter = {
  q?: string;
  status?: DroneStatus;
  moving?: { is: boolean; minSpeedMps: number; maxAgeMs: number };
  page: number;
  pageSize: number;
};

export async function listDronesAdmin(db: DbOrTx, f: AdminDroneFilter) {
  const q = f.q?.trim();
  const where = and(
    f.status ? eq(drones.status, f.status) : undefined,
    f.moving
      ? f.moving.is
        ? sql`(${drones.speedMps} >= ${f.moving.minSpeedMps}
            and ${drones.lastSeenAt} >= now() - make_interval(secs => ${f.moving.maxAgeMs / 1000}))`
        : sql`not coalesce(${drones.speedMps} >= ${f.moving.minSpeedMps}
            and ${drones.lastSeenAt} >= now() - make_interval(secs => ${f.moving.maxAgeMs / 1000}), false)`
      : undefined,
    q
      ? or(
          ilike(drones.callSign, likeContains(q)),
          ilike(drones.model, likeContains(q)),
          ilike(drones.ipAddress, likeContains(q)),
          sql`${drones.id}::text like ${`${q.toLowerCase().replace(/[\\%_]/g, '')}%`}`,
        )
      : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: drones.id,
        callSign: drones.callSign,
        model: drones.model,
        ipAddress: drones.ipAddress,
        status: drones.status,
        batteryLevel: drones.batteryLevel,
        speedMps: drones.speedMps,
        lastSeenAt: drones.lastSeenAt,
        hasKey: sql<boolean>`${drones.apiKeyHash} is not null`,
      })
      .from(drones)
      .where(where)
      .orderBy(drones.callSign, drones.id)
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(drones)
      .where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function getDroneAdmin(db: DbOrTx, { id }: { id: string }) {
  const [row] = await db
    .select({
      id: drones.id,
      callSign: drones.callSign,
      model: drones.model,
      ipAddress: drones.ipAddress,
      status: drones.status,
      batteryLevel: drones.batteryLevel,
      speedMps: drones.speedMps,
      createdAt: drones.createdAt,
      lastSeenAt: drones.lastSeenAt,
      lastLat: drones.lastLat,
      lastLon: drones.lastLon,
      hasKey: sql<boolean>`${drones.apiKeyHash} is not null`,
    })
    .from(drones)
    .where(eq(drones.id, id));
  return row;
}

/** The drone's deliveries, newest first, with what and where. */
export async function listDroneDeliveries(
  db: DbOrTx,
  { droneId, page, pageSize }: { droneId: string; page: number; pageSize: number },
) {
  const [rows, [stats]] = await Promise.all([
    db
      .select({
        id: deliveries.id,
        orderId: deliveries.orderId,
        status: deliveries.status,
        failureReason: deliveries.failureReason,
        createdAt: deliveries.createdAt,
        completedAt: deliveries.completedAt,
        good: goods.name,
        automat: parcelAutomats.address,
      })
      .from(deliveries)
      .innerJoin(orders, eq(orders.id, deliveries.orderId))
      .innerJoin(goods, eq(goods.id, orders.goodId))
      .innerJoin(parcelAutomats, eq(parcelAutomats.id, deliveries.parcelAutomatId))
      .where(eq(deliveries.droneId, droneId))
      .orderBy(desc(deliveries.createdAt), desc(deliveries.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({
        total: sql<number>`count(*)::int`,
        completed: sql<number>`count(*) filter (where ${deliveries.status} = 'completed')::int`,
        failed: sql<number>`count(*) filter (where ${deliveries.status} = 'failed')::int`,
        avgFlightS: sql<
          number | null
        >`round(avg(extract(epoch from (${deliveries.completedAt} - ${deliveries.createdAt})))
          filter (where ${deliveries.status} = 'completed'))::float8`,
      })
      .from(deliveries)
      .where(eq(deliveries.droneId, droneId)),
  ]);
  return {
    rows,
    total: stats?.total ?? 0,
    completed: stats?.completed ?? 0,
    failed: stats?.failed ?? 0,
    avgFlightS: stats?.avgFlightS ?? null,
  };
}

/** Battery over the last day in 15-minute buckets (min and average), aggregated in SQL. */
export async function droneBatteryHistory(db: DbOrTx, { droneId, now = new Date() }: { droneId: string; now?: Date }) {
  const rows = await db.execute<{ bucket: string; avg: number; min: number; readings: number }>(sql`
    select to_timestamp(floor(extract(epoch from recorded_at) / 900) * 900) as bucket,
           round(avg(battery_level), 1)::float8 as avg, min(battery_level)::float8 as min, count(*)::int as readings
    from drone_telemetry
    where drone_id = ${droneId}
      and recorded_at > ${now.toISOString()}::timestamptz - interval '24 hours'
      and recorded_at <= ${now.toISOString()}::timestamptz
    group by 1 order by 1`);
  return rows.map((r) => ({
    at: new Date(r.bucket).toISOString(),
    avg: Number(r.avg),
    min: Number(r.min),
    readings: r.readings,
  }));
}
