import { and, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db';
import { deliveries, droneOnlineSessions, drones, droneTelemetry } from '@/db/schema';
import { env } from '@/env';
import { tsParam } from '@/db/sql';
import { notifyDispatch } from '@/lib/dispatch/notify';
import { notFound } from '@/lib/errors';
import type { TelemetryReading } from '@/lib/validation/telemetry';

/**
 * Stores a batch of readings (one multi-row insert) and updates the drone's current state
 * from the newest one. A reading older than the position already shown never moves the
 * drone back in time; battery and last-seen still update. A drone with an active delivery
 * stays busy whatever status it reports; an offline drone that reports is back. Maintenance
 * is sticky: a drone enters it by reporting it (or by an operator), but only an operator's
 * "End maintenance" takes it out, so a drone that flagged a fault is checked before it flies.
 */
export async function recordTelemetry(
  db: Db,
  droneId: string,
  readings: TelemetryReading[],
  { now = new Date(), sessionGapS = env().DRONE_OFFLINE_TIMEOUT_S }: { now?: Date; sessionGapS?: number } = {},
): Promise<number> {
  if (readings.length === 0) return 0;
  const rows = readings.map((r) => ({
    droneId,
    recordedAt: r.recorded_at ? new Date(r.recorded_at) : now,
    receivedAt: now,
    lat: r.lat,
    lon: r.lon,
    altitudeM: r.altitude_m ?? null,
    headingDeg: r.heading_deg ?? null,
    speedMps: r.speed_mps ?? null,
    batteryLevel: r.battery_level,
    status: r.status ?? null,
  }));
  const newest = rows.reduce((a, b) => (b.recordedAt.getTime() >= a.recordedAt.getTime() ? b : a));
  return db.transaction(async (tx) => {
    const [drone] = await tx.select({ id: drones.id, status: drones.status }).from(drones).where(eq(drones.id, droneId)).for('update');
    if (!drone) throw notFound('Drone');
    await tx.insert(droneTelemetry).values(rows);
    for (const span of onlineSpans(rows.map((r) => r.recordedAt), sessionGapS)) await extendOnlineSession(tx, droneId, span, sessionGapS);
    const [active] = await tx
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(and(eq(deliveries.droneId, droneId), inArray(deliveries.status, ['assigned', 'in_progress'])))
      .limit(1);
    const reported = newest.status;
    const status = active
      ? 'busy'
      : drone.status === 'maintenance'
        ? 'maintenance'
        : reported ?? (drone.status === 'offline' || drone.status === 'busy' ? 'idle' : drone.status);
    const fresher = sql`(${drones.positionRecordedAt} is null or ${drones.positionRecordedAt} <= ${tsParam(newest.recordedAt)})`;
    await tx
      .update(drones)
      .set({
        batteryLevel: sql`case when ${fresher} then ${newest.batteryLevel}::numeric else ${drones.batteryLevel} end`,
        lastLat: sql`case when ${fresher} then ${newest.lat}::float8 else ${drones.lastLat} end`,
        lastLon: sql`case when ${fresher} then ${newest.lon}::float8 else ${drones.lastLon} end`,
        altitudeM: sql`case when ${fresher} then ${newest.altitudeM}::float8 else ${drones.altitudeM} end`,
        headingDeg: sql`case when ${fresher} then ${newest.headingDeg}::float8 else ${drones.headingDeg} end`,
        speedMps: sql`case when ${fresher} then ${newest.speedMps}::float8 else ${drones.speedMps} end`,
        positionRecordedAt: sql`greatest(${drones.positionRecordedAt}, ${tsParam(newest.recordedAt)})`,
        status,
        lastSeenAt: now,
        updatedAt: now,
      })
      .where(eq(drones.id, droneId));
    if (status === 'idle' && drone.status !== 'idle') await notifyDispatch(tx, 'drone_idle');
    return rows.length;
  });
}

/** A batch's reading times as spans of readings at most `gapS` apart (usually one span). */
export function onlineSpans(times: Date[], gapS: number): { from: Date; to: Date }[] {
  const sorted = times.map((t) => t.getTime()).sort((a, b) => a - b);
  const spans: { from: number; to: number }[] = [];
  for (const t of sorted) {
    const last = spans.at(-1);
    if (last && t - last.to <= gapS * 1000) last.to = t;
    else spans.push({ from: t, to: t });
  }
  return spans.map((s) => ({ from: new Date(s.from), to: new Date(s.to) }));
}

/**
 * Joins a span to the drone's session it touches (within the gap), or opens a new one. The
 * drone row is locked by the caller, so one drone's sessions are never updated concurrently.
 */
async function extendOnlineSession(tx: Tx, droneId: string, span: { from: Date; to: Date }, gapS: number) {
  const gapMs = gapS * 1000;
  const [near] = await tx
    .select({ id: droneOnlineSessions.id })
    .from(droneOnlineSessions)
    .where(
      and(
        eq(droneOnlineSessions.droneId, droneId),
        gte(droneOnlineSessions.endedAt, new Date(span.from.getTime() - gapMs)),
        lte(droneOnlineSessions.startedAt, new Date(span.to.getTime() + gapMs)),
      ),
    )
    .orderBy(desc(droneOnlineSessions.endedAt))
    .limit(1);
  if (near) {
    await tx
      .update(droneOnlineSessions)
      .set({
        startedAt: sql`least(${droneOnlineSessions.startedAt}, ${tsParam(span.from)})`,
        endedAt: sql`greatest(${droneOnlineSessions.endedAt}, ${tsParam(span.to)})`,
      })
      .where(eq(droneOnlineSessions.id, near.id));
  } else {
    await tx.insert(droneOnlineSessions).values({ droneId, startedAt: span.from, endedAt: span.to });
  }
}
